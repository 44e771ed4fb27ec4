using System;
using System.Net;
using EnOS.Streaming.Http;

namespace EnOS.Streaming
{
    /// <summary>
    /// No usable answer came back: the connection failed, the call timed out, the gateway answered
    /// with an HTTP error, or the body was not the JSON envelope the API documents.
    /// </summary>
    public class EnosTransportException : EnosException
    {
        public EnosTransportException(string message, TransportFailure failure, HttpStatusCode? statusCode, string? bodyExcerpt, Exception? innerException = null)
            : this(message, DisplayText.Clause(message), null, null, failure, statusCode, bodyExcerpt, innerException)
        {
        }

        /// <summary>
        /// From parts, so that whoever reports it (an error record naming the pipeline) can say each
        /// fact once: <paramref name="reason"/> is what went wrong as a clause ("the gateway answered
        /// HTTP 503 Service Unavailable"), <paramref name="detail"/> further sentences, and
        /// <paramref name="operation"/> what was being done ("pause pipeline 'pl-1'"), if the message
        /// should name it.
        /// </summary>
        internal EnosTransportException(string reason, string? detail, string? operation, TransportFailure failure, HttpStatusCode? statusCode,
            string? bodyExcerpt, Exception? innerException = null)
            : this(Compose(reason, detail, operation), reason, detail, operation, failure, statusCode, bodyExcerpt, innerException)
        {
        }

        private EnosTransportException(string message, string reason, string? detail, string? operation, TransportFailure failure, HttpStatusCode? statusCode,
            string? bodyExcerpt, Exception? innerException)
            : base(message, OutcomeOf(failure, statusCode), innerException)
        {
            Failure = failure;
            StatusCode = statusCode;
            BodyExcerpt = bodyExcerpt;
            Reason = reason;
            Detail = detail;
            Operation = operation;
        }

        /// <summary>What went wrong, as a clause without the operation: "the gateway answered HTTP 503 Service Unavailable each time (gave up after 3 attempts)".</summary>
        public string Reason { get; }

        /// <summary>Further sentences (the start of the body, what to do), or null.</summary>
        public string? Detail { get; }

        /// <summary>What was being done when it failed, when the message names it: "pause pipeline 'pl-1'".</summary>
        public string? Operation { get; }

        public TransportFailure Failure { get; }

        /// <summary>The HTTP status, when an HTTP answer came back at all.</summary>
        public HttpStatusCode? StatusCode { get; }

        /// <summary>The first part of the body, for an answer that was not the expected JSON.</summary>
        public string? BodyExcerpt { get; }

        /// <summary>
        /// True when trying again may well work (throttling, 5xx, timeouts, dropped or cut-off
        /// answers), as <see cref="ResponseClassifier"/> judges it from the facts above.
        /// </summary>
        public bool IsTransient => ResponseClassifier.IsTransient(this);

        /// <summary>An answer came whose body is not JSON at all: most often one cut off on the way.</summary>
        public bool BodyNotJson { get; internal init; }

        /// <summary>
        /// This failure already went through a retry policy; an outer one (an API call around a
        /// token request) must not multiply the attempts.
        /// </summary>
        public bool RetriesExhausted { get; internal init; }

        /// <summary>
        /// The gateway address (up to its path) that could not be reached, when that is the failure
        /// and <see cref="Reason"/> names it: a report built around it need not name it again.
        /// </summary>
        public string? UnreachedGateway { get; internal init; }

        /// <summary>
        /// For a redirect (never followed): the gateway address it points to, without user-info or
        /// query, for the user to connect to if they trust it.
        /// </summary>
        public string? SuggestedGatewayUrl { get; internal init; }

        /// <summary>
        /// A start the service never took: its organisation stayed busy starting another pipeline
        /// (61121) until the time ran out, while it waited for its turn or asked again in it.
        /// </summary>
        public bool NeverGotTurn { get; internal init; }

        /// <summary>How long the gateway asked the client to wait (Retry-After), if it said.</summary>
        public TimeSpan? RetryAfter { get; internal init; }

        /// <summary>
        /// The outcome of one attempt that failed so: turned away before the service (unreachable,
        /// or throttled with a 429) or held back by the rate-limit headers, or else unknown. A retry
        /// policy replaces it with what all of an operation's attempts together may have done.
        /// </summary>
        internal static RequestOutcome OutcomeOf(TransportFailure failure, HttpStatusCode? statusCode) =>
            failure == TransportFailure.RateLimited ? RequestOutcome.NotSent
            : GatewayCircuit.MeansUnreachable(failure) || (statusCode.HasValue && ResponseClassifier.IsThrottling(statusCode.Value)) ? RequestOutcome.Refused
            : RequestOutcome.MayHaveApplied;

        /// <summary>The same failure with another reason (and operation), its facts kept.</summary>
        internal EnosTransportException WithReason(string reason, string? operation) =>
            new EnosTransportException(reason, Detail, operation, Failure, StatusCode, BodyExcerpt, this)
            {
                RetriesExhausted = RetriesExhausted,
                BodyNotJson = BodyNotJson,
                Outcome = Outcome,
                UnreachedGateway = UnreachedGateway,
                SuggestedGatewayUrl = SuggestedGatewayUrl,
                RetryAfter = RetryAfter,
            };

        /// <summary>
        /// This failure as a retry policy ends with it (a copy, as a record's <c>with</c> makes: the
        /// facts are read-only): not to be retried by an outer policy, with the operation's
        /// <paramref name="outcome"/>.
        /// </summary>
        internal EnosTransportException Exhausted(RequestOutcome outcome) =>
            new EnosTransportException(Message, Reason, Detail, Operation, Failure, StatusCode, BodyExcerpt, InnerException)
            {
                RetriesExhausted = true,
                BodyNotJson = BodyNotJson,
                Outcome = outcome,
                UnreachedGateway = UnreachedGateway,
                SuggestedGatewayUrl = SuggestedGatewayUrl,
                RetryAfter = RetryAfter,
            };

        /// <summary>"Could not pause pipeline 'pl-1': the gateway … ." or, without an operation, the reason as a sentence.</summary>
        private static string Compose(string reason, string? detail, string? operation)
        {
            // Sentence() closes the clause with one full stop; the capital it adds is dropped after the colon.
            var closed = DisplayText.Sentence(reason);
            var sentence = operation == null ? closed : $"Could not {operation}: {DisplayText.Clause(closed)}" + closed.Substring(closed.Length - 1);
            return detail == null ? sentence : sentence + " " + detail;
        }
    }
}
