using System;
using System.Net;

namespace EnOS.Streaming
{
    /// <summary>Why no usable answer came back.</summary>
    public enum TransportFailure
    {
        /// <summary>The connection failed or dropped (for a reason other than those below).</summary>
        Unreachable,

        /// <summary>No answer within the attempt timeout, or the operation's time budget ran out.</summary>
        TimedOut,

        /// <summary>An HTTP error status such as 429, 502 or 503.</summary>
        HttpStatus,

        /// <summary>An answer came, but not the JSON envelope the API documents.</summary>
        InvalidResponse,

        /// <summary>Nothing listens at the gateway's address and port (connection refused).</summary>
        ConnectionRefused,

        /// <summary>The gateway's host name could not be resolved.</summary>
        NameNotResolved,

        /// <summary>The TLS handshake failed, for instance an https:// URL to a port that speaks plain http.</summary>
        TlsHandshake,
    }

    /// <summary>
    /// No usable answer came back: the connection failed, the call timed out, the gateway answered
    /// with an HTTP error, or the body was not the JSON envelope the API documents.
    /// </summary>
    [Serializable]
    public class EnosTransportException : Exception
    {
        public EnosTransportException(string message, TransportFailure failure, HttpStatusCode? statusCode, string? bodyExcerpt, bool isTransient, Exception? innerException = null)
            : base(message, innerException)
        {
            Failure = failure;
            StatusCode = statusCode;
            BodyExcerpt = bodyExcerpt;
            IsTransient = isTransient;
        }

        public TransportFailure Failure { get; }

        /// <summary>The HTTP status, when an HTTP answer came back at all.</summary>
        public HttpStatusCode? StatusCode { get; }

        /// <summary>The first part of the body, for an answer that was not the expected JSON.</summary>
        public string? BodyExcerpt { get; }

        /// <summary>True when trying again may well work (throttling, 5xx, timeouts, dropped or cut-off answers).</summary>
        public bool IsTransient { get; }

        /// <summary>
        /// This failure already went through a retry policy; an outer one (an API call around a
        /// token request) must not multiply the attempts.
        /// </summary>
        public bool RetriesExhausted { get; internal set; }

        /// <summary>
        /// The call was never sent: the connection had already found the gateway unreachable
        /// (its circuit breaker was open).
        /// </summary>
        public bool NotAttempted { get; internal set; }

        /// <summary>
        /// True when no attempt can have changed anything: each was refused before it reached the
        /// service (connection refused, unknown host, failed TLS handshake, the circuit open) or
        /// throttled (HTTP 429), and none was still in flight when time ran out. False means the
        /// outcome is unknown, not that it happened.
        /// </summary>
        public bool NotApplied { get; internal set; }

        /// <summary>
        /// For a redirect (never followed): the gateway address it points to, without user-info or
        /// query, for the user to connect to if they trust it.
        /// </summary>
        public string? SuggestedGatewayUrl { get; internal set; }

        /// <summary>How long the gateway asked the client to wait (Retry-After), if it said.</summary>
        public TimeSpan? RetryAfter { get; set; }
    }
}
