using System;

namespace EnOS.Streaming.Http
{
    /// <summary>The failures an operation ends with when its retries or time are spent, marked as retried, with what the attempts may have done.</summary>
    internal static class RetryFailures
    {
        /// <summary>The last failure with how the attempts went: "… HTTP 503 Service Unavailable each time (gave up after 3 attempts)".</summary>
        public static EnosTransportException GaveUp(string operation, int attempts, int alike, EnosTransportException last, RequestOutcome outcome)
        {
            var reason = attempts == 1
                ? last.Reason + " (not retried: MaxRetries is 0)"
                : last.Reason + (alike == attempts ? " each time" : " at the last attempt") + $" (gave up after {attempts} attempts)";
            // Every fact of the last failure kept: a cut-off body stays transient (a wait polls again) and
            // a suggested gateway URL stays for the error record.
            return last.WithReason(reason, operation).Exhausted(outcome);
        }

        /// <summary>The circuit opened after this call had gone out: never "not sent".</summary>
        public static EnosTransportException BecameUnreachable(string operation, int attempts, Exception lastSent, EnosTransportException refused,
            RequestOutcome outcome)
        {
            var lastReason = lastSent is EnosTransportException transport ? transport.Reason : DisplayText.Clause(lastSent.Message);
            var reason = $"{lastReason}, and then the gateway became unreachable ({refused.Reason}), "
                         + $"so it was not tried again after {attempts} attempt{(attempts == 1 ? string.Empty : "s")}";
            return new EnosTransportException(reason, outcome == RequestOutcome.MayHaveApplied ? "It may have been applied." : null, operation,
                refused.Failure, null, null, lastSent)
            {
                RetriesExhausted = true,
                Outcome = outcome,
                UnreachedGateway = refused.UnreachedGateway,
            };
        }

        public static EnosTransportException OutOfTime(string operation, TimeSpan timeout, Exception? last, Exception? cancellation, RequestOutcome outcome)
        {
            var ranOut = $"the connection's timeout ({timeout.TotalSeconds:0.#} s) ran out";
            string reason;
            switch (last)
            {
                case EnosTransportException transport when transport.StatusCode.HasValue && ResponseClassifier.IsThrottling(transport.StatusCode.Value):
                    reason = $"the gateway was still throttling (HTTP 429) when {ranOut}";
                    break;
                case EnosApiException api when api.Code == EnosErrorCodes.AnotherUserStarting:
                    reason = $"the organisation was still busy starting another pipeline (EnOS 61121) when {ranOut}";
                    break;
                case EnosTransportException transport:
                    reason = $"{ranOut}; the last attempt failed because {transport.Reason}";
                    break;
                case EnosApiException api:
                    reason = $"{ranOut}; the last answer was EnOS {api.Code}";
                    break;
                default:
                    reason = ranOut;
                    break;
            }

            var transportLast = last as EnosTransportException;
            return new EnosTransportException(reason, transportLast?.Detail, operation,
                TransportFailure.TimedOut, transportLast?.StatusCode, transportLast?.BodyExcerpt, cancellation ?? last)
            {
                RetriesExhausted = true,
                Outcome = outcome,
                NeverGotTurn = last is EnosApiException { Code: EnosErrorCodes.AnotherUserStarting },
                UnreachedGateway = transportLast?.UnreachedGateway, // never set on a 429
            };
        }

        /// <summary>A listing's wait for its pages ran past the connection's timeout: ended, never retried by a call's policy.</summary>
        public static EnosTransportException ListingOutOfTime(TimeSpan timeout, int received) =>
            new EnosTransportException(
                $"the connection's timeout ({timeout.TotalSeconds:0.#} s) ran out with {received} pipelines listed", null, "list the pipelines",
                TransportFailure.TimedOut, null, null)
            {
                RetriesExhausted = true,
            };

        /// <summary>A start that never got its turn: the organisation stayed busy (61121) for its queue's whole budget.</summary>
        public static EnosTransportException NeverGotTurn(string operation, string orgId, TimeSpan timeout, RequestOutcome outcome) =>
            new EnosTransportException(
                $"it never got a turn: organisation '{orgId}' was busy starting another pipeline (EnOS 61121) for the {timeout.TotalSeconds:0.#} s "
                + "its queued starts may wait together (-TimeoutSec)", null, operation, TransportFailure.TimedOut, null, null)
            {
                RetriesExhausted = true,
                Outcome = outcome,
                NeverGotTurn = true,
            };

        /// <summary>The rate-limit headers ask for a wait past the time left: told at once, not a timeout after waiting in vain.</summary>
        public static EnosTransportException RateLimited(string operation, EnosTransportException held, TimeSpan left, RequestOutcome outcome) =>
            new EnosTransportException(
                $"{held.Reason}, and only {Math.Max(0, left.TotalSeconds):0.#} s of the operation's time (-TimeoutSec) are left; it was not sent",
                null, operation, TransportFailure.RateLimited, null, null, held)
            {
                RetriesExhausted = true,
                RetryAfter = held.RetryAfter,
                Outcome = outcome,
            };
    }
}
