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
    internal sealed class RetryPolicy
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
        public async Task<T> ExecuteAsync<T>(
            Func<CancellationToken, Task<T>> attempt, string operation, ILogger logger, CancellationToken cancellationToken,
            StartQueue.Lane? startLane = null, bool repeatable = true)
        {
            var elapsed = Stopwatch.StartNew();
            Exception? last = null;
            IDisposable? turn = null;
            using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                budget.CancelAfter(_options.Timeout);
                try
                {
                    var retries = 0;
                    var throttled = 0;
                    var busySince = TimeSpan.Zero;
                    var busyReported = TimeSpan.Zero;
                    while (true)
                    {
                        if (startLane != null && startLane.Engaged && turn == null)
                        {
                            if (startLane.Waiting > 0 || last != null)
                            {
                                logger.LogInformation("{Operation}: waiting for its turn; organisation '{OrgId}' starts one pipeline at a time ({Waiting} other start(s) waiting).",
                                    Capitalised(operation), startLane.OrgId, startLane.Waiting);
                            }

                            turn = await startLane.WaitTurnAsync(budget.Token).ConfigureAwait(false);
                            busySince = elapsed.Elapsed;
                            busyReported = elapsed.Elapsed;
                        }

                        try
                        {
                            return await attempt(budget.Token).ConfigureAwait(false);
                        }
                        catch (Exception exception) when (exception is EnosTransportException || exception is EnosApiException)
                        {
                            last = exception;
                        }

                        // Decided and waited for outside the catch block, inside the try whose
                        // handler turns the budget's expiry into a timeout: a wait is covered too.
                        var decision = ResponseClassifier.Classify(last, startLane != null, repeatable);
                        TimeSpan wait;
                        switch (decision.Kind)
                        {
                            case RetryKind.Transient when retries >= _options.MaxRetries:
                                throw GaveUp(operation, retries + 1, (EnosTransportException)last);

                            case RetryKind.Transient:
                                retries++;
                                wait = DelayBefore(retries, decision.RetryAfter);
                                if (elapsed.Elapsed + wait < _options.Timeout)
                                {
                                    logger.LogInformation("{Operation}: {Problem} Retry {Retry} of {MaxRetries} in {Delay} ms.",
                                        Capitalised(operation), last.Message, retries, _options.MaxRetries, (long)wait.TotalMilliseconds);
                                }

                                break;

                            case RetryKind.Throttled:
                                throttled++;
                                wait = DelayBefore(throttled, decision.RetryAfter);
                                if (elapsed.Elapsed + wait < _options.Timeout)
                                {
                                    logger.LogInformation("{Operation}: the gateway is throttling (HTTP 429); slowing down and trying again in {Delay} ms (not counted as a retry).",
                                        Capitalised(operation), (long)wait.TotalMilliseconds);
                                }

                                break;

                            case RetryKind.Busy:
                                if (startLane!.Engage())
                                {
                                    logger.LogInformation("Organisation '{OrgId}' is busy starting another pipeline (EnOS 61121): starts are now sent one at a time.", startLane.OrgId);
                                }

                                if (turn == null)
                                {
                                    wait = TimeSpan.Zero; // take a turn first
                                    break;
                                }

                                var waited = elapsed.Elapsed - busySince;
                                wait = waited < BusyPollingStaysFastFor
                                    ? _options.StartRetryDelay
                                    : TimeSpan.FromTicks(Math.Min(BusyPollMax.Ticks, _options.StartRetryDelay.Ticks * 4));
                                if (elapsed.Elapsed - busyReported >= BusyReportEvery)
                                {
                                    busyReported = elapsed.Elapsed;
                                    logger.LogInformation("{Operation}: still waiting for organisation '{OrgId}' to finish another start ({Waited:0} s so far, {Waiting} more queued).",
                                        Capitalised(operation), startLane.OrgId, waited.TotalSeconds, startLane.Waiting);
                                }

                                break;

                            default:
                                if (last is EnosTransportException unretried)
                                {
                                    unretried.RetriesExhausted = true;
                                }

                                ExceptionDispatchInfo.Capture(last).Throw();
                                throw last; // not reached
                        }

                        if (elapsed.Elapsed + wait >= _options.Timeout)
                        {
                            throw OutOfTime(operation, last, null);
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
                    throw OutOfTime(operation, last, exception);
                }
                finally
                {
                    turn?.Dispose();
                }
            }
        }

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

        private static EnosTransportException GaveUp(string operation, int attempts, EnosTransportException last) =>
            new EnosTransportException(
                $"Could not {operation} after {attempts} attempt{(attempts == 1 ? string.Empty : "s")}: {last.Message}",
                last.Failure, last.StatusCode, last.BodyExcerpt, isTransient: true, last)
            {
                RetriesExhausted = true,
            };

        private EnosTransportException OutOfTime(string operation, Exception? last, Exception? cancellation)
        {
            string why;
            switch (last)
            {
                case EnosTransportException transport when transport.StatusCode.HasValue && ResponseClassifier.IsThrottling(transport.StatusCode.Value):
                    why = ": the gateway was still throttling (HTTP 429)";
                    break;
                case EnosApiException api when api.Code == EnosErrorCodes.AnotherUserStarting:
                    why = ": the organisation was still busy starting another pipeline (EnOS 61121)";
                    break;
                case Exception other:
                    why = ". Last failure: " + other.Message;
                    break;
                default:
                    why = string.Empty;
                    break;
            }

            var transportLast = last as EnosTransportException;
            return new EnosTransportException(
                $"Gave up trying to {operation} after {_options.Timeout.TotalSeconds:0.#} s (the connection's timeout){why}",
                TransportFailure.TimedOut, transportLast?.StatusCode, transportLast?.BodyExcerpt, isTransient: true, cancellation ?? last)
            {
                RetriesExhausted = true,
            };
        }

        private static string Capitalised(string text) =>
            text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        private static class ThreadSafeRandom
        {
            [ThreadStatic] private static Random? _random;

            public static double NextDouble() =>
                (_random ??= new Random(Guid.NewGuid().GetHashCode())).NextDouble();
        }
    }
}
