using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// Runs one operation's attempts within its budgets, acting on <see cref="ResponseClassifier"/>'s
    /// verdict for each failure: real failures are retried with exponential backoff and jitter
    /// (Retry-After honoured) at most MaxRetries times; throttling (429) and a busy organisation
    /// (61121 on a start) wait and go again, bounded only by the time budget. Whatever the wait (a
    /// backoff, the limiter's queue, a start's turn), running out of time ends the operation with a
    /// timed-out <see cref="EnosTransportException"/>, never with a cancellation: only the caller's
    /// own token cancels.
    /// </summary>
    internal sealed partial class RetryPolicy
    {
        // While a start waits for the organisation, how often it asks: often at first (a start takes
        // seconds), less often once the wait is long (someone else's start may take minutes).
        private static readonly TimeSpan BusyPollingStaysFastFor = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan BusyPollMax = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan BusyReportEvery = TimeSpan.FromSeconds(5);

        private readonly StreamingClientOptions _options;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;

        public RetryPolicy(StreamingClientOptions options, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            _options = options;
            _delay = delay ?? Task.Delay;
        }

        /// <summary>Runs the attempts; <paramref name="startLane"/> is given for a start (a 61121 engages its queue).</summary>
        /// <remarks>
        /// One loop, and long: each kind of wait (a backoff, throttling, a start's turn) spends the
        /// same budget and reads the same record of what went out, and the budget's expiry is caught
        /// around all of them at once. The wording of how it ends is <see cref="RetryFailures"/>'s.
        /// </remarks>
        public async Task<T> ExecuteAsync<T>(
            Func<CancellationToken, Task<T>> attempt, string operation, ILogger logger, CancellationToken cancellationToken,
            StartQueue.Lane? startLane = null, bool repeatable = true)
        {
            var elapsed = Stopwatch.StartNew();
            Exception? last = null;
            Exception? lastSent = null; // the last failure of an attempt that went out
            var sent = 0;
            var mayHaveApplied = false; // an attempt went out and no answer said it was refused
            var attemptInFlight = false; // the budget ran out during an attempt: it may have been applied
            Exception? previous = null;
            IDisposable? turn = null;
            using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                budget.CancelAfter(_options.Timeout);
                try
                {
                    var retries = 0;
                    var alike = 0; // how many attempts in a row failed as the last one did
                    var throttled = 0;
                    var busySince = TimeSpan.Zero;
                    var busyReported = TimeSpan.Zero;
                    while (true)
                    {
                        if (startLane != null && startLane.Engaged && turn == null)
                        {
                            if ((startLane.Waiting > 0 || last != null) && logger.IsEnabled(LogLevel.Information))
                            {
                                var told = Capitalised(operation);
                                Log.WaitingForTurn(logger, told, startLane.OrgId, startLane.Waiting);
                            }

                            turn = await startLane.WaitTurnAsync(budget.Token).ConfigureAwait(false);
                            busySince = elapsed.Elapsed;
                            busyReported = elapsed.Elapsed;
                        }

                        attemptInFlight = true;
                        try
                        {
                            return await attempt(budget.Token).ConfigureAwait(false);
                        }
                        catch (EnosException exception)
                        {
                            last = exception;
                        }

                        attemptInFlight = false;

                        if (last is EnosTransportException { NotAttempted: true } refused)
                        {
                            // The circuit opened between attempts: this call did go out before and
                            // may have been applied, so it must not read as "not attempted".
                            if (lastSent != null)
                            {
                                throw RetryFailures.BecameUnreachable(operation, sent, lastSent, refused, mayHaveApplied);
                            }
                        }
                        else
                        {
                            lastSent = last;
                            sent++;
                            mayHaveApplied |= last is EnosTransportException answerless
                                              && !GatewayCircuit.MeansUnreachable(answerless.Failure)
                                              && !(answerless.StatusCode.HasValue && ResponseClassifier.IsThrottling(answerless.StatusCode.Value));
                        }

                        // Decided and waited for outside the catch block, inside the try whose
                        // handler turns the budget's expiry into a timeout: a wait is covered too.
                        var decision = ResponseClassifier.Classify(last, startLane != null, repeatable);
                        if (decision.Kind == RetryKind.Transient)
                        {
                            alike = previous is EnosTransportException before && string.Equals(before.Reason, ((EnosTransportException)last).Reason, StringComparison.Ordinal)
                                ? alike + 1
                                : 1;
                            previous = last;
                        }

                        TimeSpan wait;
                        switch (decision.Kind)
                        {
                            case RetryKind.Transient when retries >= _options.MaxRetries:
                                throw RetryFailures.GaveUp(operation, retries + 1, alike, (EnosTransportException)last, mayHaveApplied);

                            case RetryKind.Transient:
                                retries++;
                                wait = DelayBefore(retries, decision.RetryAfter);
                                if (elapsed.Elapsed + wait < _options.Timeout && logger.IsEnabled(LogLevel.Information))
                                {
                                    var told = Capitalised(operation);
                                    var problem = DisplayText.Sentence(((EnosTransportException)last).Reason);
                                    Log.Retrying(logger, told, problem, retries, _options.MaxRetries, (long)wait.TotalMilliseconds);
                                }

                                break;

                            case RetryKind.Throttled:
                                throttled++;
                                wait = DelayBefore(throttled, decision.RetryAfter);
                                if (elapsed.Elapsed + wait < _options.Timeout && logger.IsEnabled(LogLevel.Information))
                                {
                                    var told = Capitalised(operation);
                                    Log.Throttled(logger, told, (long)wait.TotalMilliseconds);
                                }

                                break;

                            case RetryKind.Busy:
                                if (startLane!.Engage())
                                {
                                    Log.StartsTakeTurns(logger, startLane.OrgId);
                                }

                                if (turn == null)
                                {
                                    wait = TimeSpan.Zero; // take a turn first
                                    break;
                                }

                                var waited = elapsed.Elapsed - busySince;
                                wait = BusyPoll(waited);
                                if (elapsed.Elapsed - busyReported >= BusyReportEvery)
                                {
                                    busyReported = elapsed.Elapsed;
                                    if (logger.IsEnabled(LogLevel.Information))
                                    {
                                        var told = Capitalised(operation);
                                        Log.StillBusy(logger, told, startLane.OrgId, waited.TotalSeconds, startLane.Waiting);
                                    }
                                }

                                break;

                            default:
                                if (last is EnosTransportException unretried)
                                {
                                    throw unretried.Exhausted(notApplied: !mayHaveApplied);
                                }

                                ExceptionDispatchInfo.Capture(last).Throw();
                                throw last; // not reached
                        }

                        if (elapsed.Elapsed + wait >= _options.Timeout)
                        {
                            throw RetryFailures.OutOfTime(operation, _options.Timeout, last, null, mayHaveApplied);
                        }

                        if (wait > TimeSpan.Zero)
                        {
                            await _delay(wait, budget.Token).ConfigureAwait(false);
                        }
                    }
                }
                catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The budget ran out (not the caller's cancellation): in an attempt, a backoff,
                    // the limiter's queue or a start's turn alike.
                    throw RetryFailures.OutOfTime(operation, _options.Timeout, last, exception, mayHaveApplied || attemptInFlight);
                }
                finally
                {
                    turn?.Dispose();
                }
            }
        }

        /// <summary>How long a start waits before asking a busy organisation again, having waited <paramref name="waited"/>.</summary>
        private TimeSpan BusyPoll(TimeSpan waited) =>
            waited < BusyPollingStaysFastFor
                ? _options.StartRetryDelay
                : TimeSpan.FromTicks(Math.Min(BusyPollMax.Ticks, _options.StartRetryDelay.Ticks * 4));

        /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
        internal TimeSpan DelayBefore(int retry, TimeSpan? retryAfter)
        {
            var exponential = TimeSpan.FromTicks(Math.Min(
                _options.MaxRetryDelay.Ticks,
                _options.InitialRetryDelay.Ticks * (1L << Math.Min(retry - 1, 20))));
            // Jitter between half and all of it, so a bulk run's clients do not retry in step.
            var jittered = TimeSpan.FromTicks((long)(exponential.Ticks * (0.5 + (ThreadSafeRandom.NextDouble() * 0.5))));
            return retryAfter.HasValue && retryAfter.Value > jittered ? retryAfter.Value : jittered;
        }

        private static string Capitalised(string text) =>
            text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        private static class ThreadSafeRandom
        {
            [ThreadStatic] private static Random? _random;

            public static double NextDouble() =>
                (_random ??= new Random(Guid.NewGuid().GetHashCode())).NextDouble();
        }

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
                Message = "Organisation '{OrgId}' is busy starting another pipeline (EnOS 61121): starts are now sent one at a time.")]
            public static partial void StartsTakeTurns(ILogger logger, string orgId);

            [LoggerMessage(Level = LogLevel.Information,
                Message = "{Operation}: still waiting for organisation '{OrgId}' to finish another start ({Waited:0} s so far, {Waiting} more queued).")]
            public static partial void StillBusy(ILogger logger, string operation, string orgId, double waited, int waiting);
        }
    }
}
