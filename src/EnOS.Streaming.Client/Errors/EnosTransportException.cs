using System;
using System.Net;

namespace EnOS.Streaming
{
    /// <summary>
    /// No usable answer came back: the connection failed, the call timed out, the gateway answered
    /// with an HTTP error, or the body was not the JSON envelope the API documents.
    /// </summary>
    [Serializable]
    public class EnosTransportException : Exception
    {
        public EnosTransportException(string message, HttpStatusCode? statusCode, string? bodyExcerpt, bool isTransient, Exception? innerException = null)
            : base(message, innerException)
        {
            StatusCode = statusCode;
            BodyExcerpt = bodyExcerpt;
            IsTransient = isTransient;
        }

        /// <summary>The HTTP status, when an HTTP answer came back at all.</summary>
        public HttpStatusCode? StatusCode { get; }

        /// <summary>The first part of the body, for an answer that was not the expected JSON.</summary>
        public string? BodyExcerpt { get; }

        /// <summary>True when trying again later may well work (throttling, 5xx, timeouts, dropped connections).</summary>
        public bool IsTransient { get; }

        /// <summary>How long the gateway asked the client to wait (Retry-After), if it said.</summary>
        public TimeSpan? RetryAfter { get; set; }
    }
}
