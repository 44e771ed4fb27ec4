using System;
using System.Net;
using EnOS.Streaming.Http;

namespace EnOS.Streaming
{
    /// <summary>No usable answer: the connection failed, the call timed out, an HTTP error, or a body that is not the envelope.</summary>
    public class EnosTransportException : EnosException
    {
        public EnosTransportException(string message, TransportFailure failure, HttpStatusCode? statusCode, string? bodyExcerpt, Exception? innerException = null)
            : this(message, DisplayText.Clause(message), null, null, failure, statusCode, bodyExcerpt, innerException)
        {
        }

        /// <summary>From parts, so a report naming the pipeline says each fact once: <paramref name="reason"/> a clause, <paramref name="detail"/> more sentences.</summary>
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

        // Another's facts copied, as a record's with would (they are read-only).
        private EnosTransportException(EnosTransportException facts, string message, string reason, string? operation, Exception? innerException,
            bool retriesExhausted, RequestOutcome outcome)
            : this(message, reason, facts.Detail, operation, facts.Failure, facts.StatusCode, facts.BodyExcerpt, innerException)
        {
            RetriesExhausted = retriesExhausted;
            BodyNotJson = facts.BodyNotJson;
            Outcome = outcome;
            UnreachedGateway = facts.UnreachedGateway;
            SuggestedGatewayUrl = facts.SuggestedGatewayUrl;
            RetryAfter = facts.RetryAfter;
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

        /// <summary>Trying again may well work, as <see cref="ResponseClassifier"/> judges it.</summary>
        public bool IsTransient => ResponseClassifier.IsTransient(this);

        /// <summary>An answer came whose body is not JSON at all: most often one cut off on the way.</summary>
        public bool BodyNotJson { get; internal init; }

        /// <summary>Already through a retry policy: an outer one (an API call around a token request) must not multiply the attempts.</summary>
        public bool RetriesExhausted { get; internal init; }

        /// <summary>The gateway address that could not be reached, when <see cref="Reason"/> names it (a report need not again).</summary>
        public string? UnreachedGateway { get; internal init; }

        /// <summary>For a redirect (never followed): the gateway it points to, without user-info or query.</summary>
        public string? SuggestedGatewayUrl { get; internal init; }

        /// <summary>A start never taken: the organisation stayed busy with another (61121) until the time ran out.</summary>
        public bool NeverGotTurn { get; internal init; }

        /// <summary>How long the gateway asked the client to wait (Retry-After), if it said.</summary>
        public TimeSpan? RetryAfter { get; internal init; }

        /// <summary>One attempt's outcome (a retry policy replaces it with what all the attempts may have done).</summary>
        internal static RequestOutcome OutcomeOf(TransportFailure failure, HttpStatusCode? statusCode) =>
            failure == TransportFailure.RateLimited ? RequestOutcome.NotSent
            : GatewayCircuit.MeansUnreachable(failure) || (statusCode.HasValue && ResponseClassifier.IsThrottling(statusCode.Value)) ? RequestOutcome.Refused
            : RequestOutcome.MayHaveApplied;

        /// <summary>The same failure with another reason (and operation), its facts kept.</summary>
        internal EnosTransportException WithReason(string reason, string? operation) =>
            new EnosTransportException(this, Compose(reason, Detail, operation), reason, operation, this, RetriesExhausted, Outcome);

        /// <summary>A copy as a retry policy ends with it: not to be retried again, with the operation's <paramref name="outcome"/>.</summary>
        internal EnosTransportException Exhausted(RequestOutcome outcome) =>
            new EnosTransportException(this, Message, Reason, Operation, InnerException, retriesExhausted: true, outcome);

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
