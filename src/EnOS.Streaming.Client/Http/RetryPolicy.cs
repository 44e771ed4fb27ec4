using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// Retries transient failures (throttling, 502-504, timeouts, dropped connections) with
    /// exponential backoff and jitter, honouring Retry-After, within a bounded number of attempts
    /// and a total time budget. API error codes are never retried here: they are answers.
    /// </summary>
    internal sealed class RetryPolicy
    {
        private readonly StreamingClientOptions _options;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;

        public RetryPolicy(StreamingClientOptions options, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            _options = options;
            _delay = delay ?? Task.Delay;
        }

        public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, string operation, ILogger logger, CancellationToken cancellationToken)
        {
            var elapsed = Stopwatch.StartNew();
            using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                budget.CancelAfter(_options.Timeout);
                for (var retry = 0; ; retry++)
                {
                    try
                    {
                        return await attempt(budget.Token).ConfigureAwait(false);
                    }
                    catch (EnosTransportException exception) when (exception.IsTransient && !exception.RetriesExhausted && retry < _options.MaxRetries)
                    {
                        var wait = DelayBefore(retry + 1, exception.RetryAfter);
                        if (elapsed.Elapsed + wait >= _options.Timeout)
                        {
                            throw GaveUp(operation, retry + 1, exception);
                        }

                        logger.LogInformation("{Operation}: {Problem} Retry {Retry} of {MaxRetries} in {Delay} ms.",
                            Capitalised(operation), exception.Message, retry + 1, _options.MaxRetries, (long)wait.TotalMilliseconds);
                        await _delay(wait, budget.Token).ConfigureAwait(false);
                    }
                    catch (EnosTransportException exception) when (exception.IsTransient && !exception.RetriesExhausted)
                    {
                        throw GaveUp(operation, retry + 1, exception);
                    }
                    catch (RetryableAnswerException busy) when (retry < _options.MaxRetries)
                    {
                        var wait = DelayBefore(retry + 1, null);
                        if (elapsed.Elapsed + wait >= _options.Timeout)
                        {
                            throw busy.Answer;
                        }

                        logger.LogInformation("{Operation}: EnOS answered {Code} \"{Message}\". Retry {Retry} of {MaxRetries} in {Delay} ms.",
                            Capitalised(operation), busy.Answer.Code, busy.Answer.ApiMessage, retry + 1, _options.MaxRetries, (long)wait.TotalMilliseconds);
                        await _delay(wait, budget.Token).ConfigureAwait(false);
                    }
                    catch (RetryableAnswerException busy)
                    {
                        // Out of retries: the service's own answer is the error.
                        throw busy.Answer;
                    }
                    catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The budget ran out (not the caller's cancellation).
                        throw new EnosTransportException(
                            $"Gave up trying to {operation} after {_options.Timeout.TotalSeconds:0.#} s (the connection's timeout).",
                            TransportFailure.TimedOut, null, null, isTransient: true, exception)
                        {
                            RetriesExhausted = true,
                        };
                    }
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
