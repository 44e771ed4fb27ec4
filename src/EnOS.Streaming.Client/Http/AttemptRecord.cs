using System;

namespace EnOS.Streaming.Http
{
    /// <summary>What one operation's attempts have sent and may have done, and the counts its budgets are spent by.</summary>
    internal sealed class AttemptRecord
    {
        private EnosTransportException? _previousTransient;
        private int _alike;
        private int _throttled;

        /// <summary>The last attempt's failure, sent or not.</summary>
        public EnosException? Last { get; private set; }

        /// <summary>The last failure of an attempt that went out.</summary>
        public EnosException? LastSent { get; private set; }

        /// <summary>How many attempts went out.</summary>
        public int Sent { get; private set; }

        /// <summary>An attempt went out and no answer said it was refused.</summary>
        public bool MayHaveApplied { get; private set; }

        /// <summary>An attempt is under way: if the budget runs out now, it may have been applied.</summary>
        public bool InFlight { get; private set; }

        /// <summary>What the attempts so far may have done, together.</summary>
        public RequestOutcome Outcome => MayHaveApplied ? RequestOutcome.MayHaveApplied : Sent == 0 ? RequestOutcome.NotSent : RequestOutcome.Refused;

        /// <summary>What the attempts may have done if the budget runs out now, with one perhaps under way.</summary>
        public RequestOutcome OutcomeIfStopped => InFlight ? RequestOutcome.MayHaveApplied : Outcome;

        /// <summary>Retries spent on real failures (of -MaxRetries).</summary>
        public int Retries { get; private set; }

        public void Starting() => InFlight = true;

        public void Failed(EnosException failure)
        {
            Last = failure;
            InFlight = false;
            if (failure.Outcome == RequestOutcome.NotSent)
            {
                return; // held back (the circuit, the rate-limit headers): nothing went out
            }

            LastSent = failure;
            Sent++;
            // An error answer is the service's refusal, even to a token request beneath this call.
            MayHaveApplied |= failure is EnosTransportException && failure.Outcome == RequestOutcome.MayHaveApplied;
        }

        /// <summary>Counts a real failure; returns how many attempts in a row failed as it did.</summary>
        public int CountAlike(EnosTransportException failure)
        {
            _alike = _previousTransient != null && string.Equals(_previousTransient.Reason, failure.Reason, StringComparison.Ordinal) ? _alike + 1 : 1;
            _previousTransient = failure;
            return _alike;
        }

        /// <summary>Spends a retry; returns its number (1-based).</summary>
        public int CountRetry() => ++Retries;

        /// <summary>Counts a throttled answer; returns how many there have been, for the backoff.</summary>
        public int CountThrottled() => ++_throttled;
    }
}
