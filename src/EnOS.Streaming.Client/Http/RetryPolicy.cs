using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Starts;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Http
{
    /// <summary>Runs one operation's attempts on <see cref="ResponseClassifier"/>'s verdicts; out of time anywhere is a timeout, never a cancellation.</summary>
    /// <param name="options">The budgets.</param>
    /// <param name="delay">How a wait is waited (tests pass their own).</param>
    /// <param name="clock">What the budget is measured by (tests move it by hand).</param>
    internal sealed partial class RetryPolicy(StreamingClientOptions options, Func<TimeSpan, CancellationToken, Task>? delay = null, MonotonicClock? clock = null)
    {
        // A start asks a busy organisation often at first (a start takes seconds), then less (another may take minutes).
        private static readonly TimeSpan BusyPollingStaysFastFor = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan BusyPollMax = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan BusyReportEvery = TimeSpan.FromSeconds(5);

        // Random is not thread-safe: one per thread, seeded apart.
        [ThreadStatic] private static Random? _jitter;

        private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;
        private readonly MonotonicClock _clock = clock ?? MonotonicClock.System;

        /// <summary>Runs the attempts; <paramref name="startLane"/> is given for a start (a 61121 engages its queue).</summary>
        public async Task<T> ExecuteAsync<T>(
            Func<CancellationToken, Task<T>> attempt, string operation, ILogger logger, CancellationToken cancellationToken,
            StartQueue.Lane? startLane = null, bool repeatable = true, StartBudget? startBudget = null)
        {
            var started = _clock.Now;
            var attempts = new AttemptRecord();
            using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var turn = new StartTurn(startLane, startBudget))
            {
                budget.CancelAfter(options.Timeout);
                try
                {
                    while (true)
                    {
                        if (turn.Due)
                        {
                            await TakeTurnAsync(turn, operation, logger, attempts, budget.Token, cancellationToken).ConfigureAwait(false);
                        }

                        EnosException failure;
                        attempts.Starting();
                        try
                        {
                            var result = await attempt(budget.Token).ConfigureAwait(false);
                            turn.Budget.Accepted();
                            return result;
                        }
                        catch (EnosException exception)
                        {
                            failure = exception;
                        }

                        // Outside the catch, inside the try that turns the budget's expiry into a timeout: waits too.
                        if (failure is EnosTransportException { Outcome: RequestOutcome.NotSent } refused && GatewayCircuit.MeansUnreachable(refused.Failure)
                            && attempts.LastSent != null)
                        {
                            // The circuit refused an attempt after one had gone out: that call may have been applied, never "not attempted".
                            throw RetryFailures.BecameUnreachable(operation, attempts.Sent, attempts.LastSent, refused, attempts.Outcome);
                        }

                        attempts.Failed(failure);
                        var decision = ResponseClassifier.Classify(failure, startLane != null, repeatable);
                        var wait = WaitAfter(decision, attempts, turn, operation, logger, _clock.Now - started);
                        if (_clock.Now - started + wait >= options.Timeout)
                        {
                            if (failure is EnosTransportException { Failure: TransportFailure.RateLimited } held)
                            {
                                // Said at once, with the header and its wait, rather than a timeout later.
                                throw RetryFailures.RateLimited(operation, held, options.Timeout - (_clock.Now - started), attempts.Outcome);
                            }

                            throw RetryFailures.OutOfTime(operation, options.Timeout, failure, null, attempts.Outcome);
                        }

                        if (wait > TimeSpan.Zero)
                        {
                            await _delay(wait, budget.Token).ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The budget ran out (not the caller's cancellation), wherever it was waiting.
                    throw RetryFailures.OutOfTime(operation, options.Timeout, attempts.Last, exception, attempts.OutcomeIfStopped);
                }
            }
        }

        /// <summary>Waits for the start's turn within the lane's budget: ended by the budget, a missed turn; by <paramref name="callerToken"/>, a cancellation.</summary>
        private async Task TakeTurnAsync(StartTurn turn, string operation, ILogger logger, AttemptRecord attempts, CancellationToken cancellationToken,
            CancellationToken callerToken)
        {
            var lane = turn.Lane!;
            var left = options.Timeout - turn.Budget.BusyFor(_clock.Now);
            if (left <= TimeSpan.Zero)
            {
                throw RetryFailures.NeverGotTurn(operation, lane.OrgId, options.Timeout, attempts.Outcome);
            }

            if ((lane.Waiting > 0 || attempts.Last != null) && logger.IsEnabled(LogLevel.Information))
            {
                var sentence = Capitalised(operation);
                Log.WaitingForTurn(logger, sentence, lane.OrgId, lane.Waiting);
            }

            using (var queueBudget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                queueBudget.CancelAfter(left);
                try
                {
                    await turn.TakeAsync(_clock, queueBudget.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
                {
                    // The queue's time or this start's own ran out while it waited behind the others.
                    throw RetryFailures.NeverGotTurn(operation, lane.OrgId, options.Timeout, attempts.Outcome);
                }
            }
        }

        /// <summary>The wait before the next attempt (told when it fits the budget); throws the failure when there is none.</summary>
        private TimeSpan WaitAfter(RetryDecision decision, AttemptRecord attempts, StartTurn turn, string operation, ILogger logger, TimeSpan elapsed)
        {
            var failure = attempts.Last!;
            TimeSpan wait;
            switch (decision.Kind)
            {
                case RetryKind.Transient:
                    var transient = (EnosTransportException)failure;
                    var alike = attempts.CountAlike(transient);
                    if (attempts.Retries >= options.MaxRetries)
                    {
                        throw RetryFailures.GaveUp(operation, attempts.Retries + 1, alike, transient, attempts.Outcome);
                    }

                    var retry = attempts.CountRetry();
                    wait = DelayBefore(retry, decision.RetryAfter);
                    if (elapsed + wait < options.Timeout && logger.IsEnabled(LogLevel.Information))
                    {
                        var sentence = Capitalised(operation);
                        var problem = DisplayText.Sentence(transient.Reason);
                        Log.Retrying(logger, sentence, problem, retry, options.MaxRetries, (long)wait.TotalMilliseconds);
                    }

                    return wait;

                case RetryKind.Throttled:
                    wait = DelayBefore(attempts.CountThrottled(), decision.RetryAfter);
                    if (elapsed + wait < options.Timeout && logger.IsEnabled(LogLevel.Information))
                    {
                        var sentence = Capitalised(operation);
                        if (failure is EnosTransportException { Failure: TransportFailure.RateLimited } held)
                        {
                            Log.HeldByHeaders(logger, sentence, held.Reason, (long)wait.TotalMilliseconds);
                        }
                        else
                        {
                            Log.Throttled(logger, sentence, (long)wait.TotalMilliseconds);
                        }
                    }

                    return wait;

                case RetryKind.Busy:
                    return BusyWait(turn, attempts, operation, logger);

                default:
                    if (failure is EnosTransportException unretried)
                    {
                        throw unretried.Exhausted(attempts.Outcome);
                    }

                    if (failure is EnosApiException answered && attempts.MayHaveApplied)
                    {
                        // An error answer to a retry: the earlier attempt, unanswered, may have been applied.
                        answered.Outcome = RequestOutcome.MayHaveApplied;
                    }

                    ExceptionDispatchInfo.Capture(failure).Throw();
                    throw failure; // not reached
            }
        }

        /// <summary>The wait after a 61121: none before the start's first turn (it takes one), then a poll told now and then.</summary>
        private TimeSpan BusyWait(StartTurn turn, AttemptRecord attempts, string operation, ILogger logger)
        {
            var lane = turn.Lane!; // only a start is told 61121 means busy
            var now = _clock.Now;
            turn.Budget.Busy(now);
            if (lane.Engage())
            {
                Log.StartsTakeTurns(logger, lane.OrgId);
            }

            if (!turn.Held)
            {
                return TimeSpan.Zero; // take a turn first
            }

            var waited = now - turn.BusySince;
            if (turn.ReportDue(now, BusyReportEvery) && logger.IsEnabled(LogLevel.Information))
            {
                var sentence = Capitalised(operation);
                Log.StillBusy(logger, sentence, lane.OrgId, waited.TotalSeconds, lane.Waiting);
            }

            var poll = waited < BusyPollingStaysFastFor
                ? options.StartRetryDelay
                : TimeSpan.FromTicks(Math.Min(BusyPollMax.Ticks, options.StartRetryDelay.Ticks * 4));
            if (turn.Budget.BusyFor(now) + poll >= options.Timeout)
            {
                // The queue's budget is spent: this start ends, and the ones waiting behind it fail at once.
                throw RetryFailures.OutOfTime(operation, options.Timeout, attempts.Last, null, attempts.Outcome);
            }

            return poll;
        }

        /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
        internal TimeSpan DelayBefore(int retry, TimeSpan? retryAfter)
        {
            var exponential = TimeSpan.FromTicks(Math.Min(
                options.MaxRetryDelay.Ticks,
                options.InitialRetryDelay.Ticks * (1L << Math.Min(retry - 1, 20))));
            // Jitter between half and all of it, so a bulk run's clients do not retry in step.
            var random = _jitter ??= new Random(Guid.NewGuid().GetHashCode());
            var jittered = TimeSpan.FromTicks((long)(exponential.Ticks * (0.5 + (random.NextDouble() * 0.5))));
            return retryAfter.HasValue && retryAfter.Value > jittered ? retryAfter.Value : jittered;
        }

        private static string Capitalised(string text) =>
            text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        private static partial class Log
        {
            [LoggerMessage(Level = LogLevel.Information,
                Message = "{Operation}: waiting for its turn; organisation '{OrgId}' starts one pipeline at a time ({Waiting} other start(s) waiting).")]
            public static partial void WaitingForTurn(ILogger logger, string operation, string orgId, int waiting);

            [LoggerMessage(Level = LogLevel.Information, Message = "{Operation}: {Problem} Retry {Retry} of {MaxRetries} in {Delay} ms.")]
            public static partial void Retrying(ILogger logger, string operation, string problem, int retry, int maxRetries, long delay);

            [LoggerMessage(Level = LogLevel.Information,
                Message = "{Operation}: the gateway is throttling (HTTP 429); slowing down and trying again in {Delay} ms (not counted as a retry).")]
            public static partial void Throttled(ILogger logger, string operation, long delay);

            [LoggerMessage(Level = LogLevel.Information,
                Message = "{Operation}: {Reason}; waiting {Delay} ms, within -TimeoutSec (not counted as a retry).")]
            public static partial void HeldByHeaders(ILogger logger, string operation, string reason, long delay);

            [LoggerMessage(Level = LogLevel.Information,
                Message = "Organisation '{OrgId}' is busy starting another pipeline (EnOS 61121): starts are now sent one at a time.")]
            public static partial void StartsTakeTurns(ILogger logger, string orgId);

            [LoggerMessage(Level = LogLevel.Information,
                Message = "{Operation}: still waiting for organisation '{OrgId}' to finish another start ({Waited:0} s so far, {Waiting} more queued).")]
            public static partial void StillBusy(ILogger logger, string operation, string orgId, double waited, int waiting);
        }
    }
}
