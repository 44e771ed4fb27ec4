using System;

namespace EnOS.Streaming.Http
{
    /// <summary>How a failed attempt is tried again (see <see cref="ResponseClassifier"/>): only Transient spends one of -MaxRetries.</summary>
    internal enum RetryKind
    {
        None,
        Transient,
        Throttled,
        Busy,
    }

    /// <summary>The classifier's verdict on one failed attempt.</summary>
    /// <param name="Kind">How it is tried again.</param>
    /// <param name="RetryAfter">The wait the gateway asked for (Retry-After), if it did.</param>
    internal readonly record struct RetryDecision(RetryKind Kind, TimeSpan? RetryAfter = null);

    /// <summary>
    /// The one place that decides whether a failed attempt is retried, how, and from which budget
    /// (as Azure.Core's ResponseClassifier); <see cref="RetryPolicy"/> acts on the verdict.
    /// <list type="table">
    /// <item>429, or held back by rate-limit headers → Throttled: after Retry-After; only -TimeoutSec bounds it.</item>
    /// <item>502-504, timeout, dropped or refused connection, cut-off body → Transient: backoff with jitter, at most -MaxRetries.</item>
    /// <item>unknown host, failed TLS handshake → None: no retry can change them.</item>
    /// <item>61121 on a start → Busy: the organisation's starts take turns; only -TimeoutSec bounds it.</item>
    /// <item>every other API code → None: it is the service's answer (but see <see cref="ResendsWithinAttempt"/>).</item>
    /// <item>a failure already through a policy → None, so attempts are never multiplied.</item>
    /// </list>
    /// The exceptions carry only facts; what is worth another try is judged here, and nowhere else.
    /// </summary>
    internal static class ResponseClassifier
    {
        public const int TooManyRequests = 429;

        /// <param name="failure">The attempt's failure.</param>
        /// <param name="isStart">A start or resume (61121 queues it).</param>
        /// <param name="repeatable">False for a call that must not happen twice (a create).</param>
        public static RetryDecision Classify(Exception failure, bool isStart, bool repeatable = true)
        {
            switch (failure)
            {
                case EnosTransportException transport when transport.RetriesExhausted:
                    return new RetryDecision(RetryKind.None);
                case EnosTransportException transport when IsThrottling(transport):
                    return new RetryDecision(RetryKind.Throttled, transport.RetryAfter);
                case EnosTransportException transport when !repeatable && transport.Failure != TransportFailure.ConnectionRefused:
                    // A lost answer or a 5xx may have reached the service: again could create a second pipeline (a refused connection did not).
                    return new RetryDecision(RetryKind.None);
                case EnosTransportException transport when IsTransient(transport):
                    return new RetryDecision(RetryKind.Transient, transport.RetryAfter);
                case EnosApiException api when isStart && api.Code == EnosErrorCodes.AnotherUserStarting:
                    return new RetryDecision(RetryKind.Busy);
                default:
                    return new RetryDecision(RetryKind.None);
            }
        }

        /// <summary>Sends once more within the attempt: 1203 after renewing the token; 1001 to a token request (one millisecond hashed alike), later.</summary>
        public static bool ResendsWithinAttempt(int code, bool tokenRequest, int sent) =>
            sent == 1 && code == (tokenRequest ? EnosErrorCodes.DuplicatedEncryption : EnosErrorCodes.AccessTokenExpired);

        /// <summary>Trying again may work: not for an unknown host, TLS, or a complete answer of another kind; a body not JSON at all was most often cut off.</summary>
        public static bool IsTransient(EnosTransportException transport) => transport.Failure switch
        {
            TransportFailure.NameNotResolved or TransportFailure.TlsHandshake => false,
            TransportFailure.InvalidResponse => transport.BodyNotJson || (transport.StatusCode.HasValue && IsUpstreamFailure(transport.StatusCode.Value)),
            _ => true,
        };

        /// <summary>A status that is a transport failure whatever the body says: throttling (429), or the gateway's upstream failing (502, 503, 504).</summary>
        public static bool IsUpstreamFailure(System.Net.HttpStatusCode status) =>
            IsThrottling(status) || status == System.Net.HttpStatusCode.BadGateway
            || status == System.Net.HttpStatusCode.ServiceUnavailable || status == System.Net.HttpStatusCode.GatewayTimeout;

        public static bool IsThrottling(System.Net.HttpStatusCode status) => (int)status == TooManyRequests;

        // A call the rate-limit headers held back is throttled before it went out.
        private static bool IsThrottling(EnosTransportException transport) =>
            transport.Failure == TransportFailure.RateLimited
            || (transport.Failure == TransportFailure.HttpStatus && transport.StatusCode.HasValue && IsThrottling(transport.StatusCode.Value));
    }
}
