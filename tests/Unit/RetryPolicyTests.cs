using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using EnOS.Streaming.Model;
using EnOS.Streaming.Starts;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>The retry policy: budgets, cancellation, Retry-After, and what it does not count as a retry.</summary>
    public class RetryPolicyTests
    {
        [Fact]
        public async Task The_budget_running_out_during_a_backoff_is_a_timeout_not_a_cancellation()
        {
            var options = new StreamingClientOptions
            {
                Timeout = TimeSpan.FromMilliseconds(300),
                InitialRetryDelay = TimeSpan.FromMilliseconds(100),
                MaxRetries = 10,
            };
            // A wait that overruns (a busy machine wakes late): the budget expires inside it.
            var policy = new RetryPolicy(options, (delay, token) => Task.Delay(delay + TimeSpan.FromSeconds(2), token));

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw new EnosTransportException("503", TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable, null),
                "pause pipeline 'x'", NullLogger.Instance, CancellationToken.None));

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.True(error.RetriesExhausted);
        }

        [Fact]
        public async Task The_callers_own_cancellation_stays_a_cancellation()
        {
            var policy = new RetryPolicy(new StreamingClientOptions { InitialRetryDelay = TimeSpan.FromSeconds(1) });
            using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => policy.ExecuteAsync<int>(
                    _ => throw new EnosTransportException("503", TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable, null),
                    "pause pipeline 'x'", NullLogger.Instance, cancel.Token));
            }
        }

        [Fact]
        public async Task Giving_up_on_cut_off_answers_keeps_them_transient_so_a_wait_polls_again()
        {
            var gateway = new StubGateway();
            gateway.Respond = _ => StubGateway.Json("{\"code\":0,\"data\":[{\"pipel");
            var options = StubGateway.FastOptions();
            options.MaxRetries = 1;

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.True(error.RetriesExhausted);
            Assert.Contains("gave up after 2 attempts", error.Message);
            Assert.True(error.BodyNotJson);
            Assert.True(error.IsTransient);
        }

        [Fact]
        public async Task Throttled_answers_do_not_spend_retries()
        {
            var gateway = new StubGateway();
            var calls = 0;
            gateway.Respond = _ => ++calls <= 2 ? StubGateway.Json("", (HttpStatusCode)429) : StubGateway.Ok("\"\"");
            var options = StubGateway.FastOptions();
            options.MaxRetries = 0;

            Assert.Equal(StateChange.Applied, await gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));
            Assert.Equal(3, calls);
        }

        [Fact]
        public async Task Starts_take_turns_once_the_organisation_answers_61121()
        {
            var gateway = new StubGateway();
            var inFlight = 0;
            var overlapped = 0;
            var lockedUntil = DateTime.MinValue;
            var gate = new object();
            gateway.Respond = request =>
            {
                if (Interlocked.Increment(ref inFlight) > 1)
                {
                    Interlocked.Increment(ref overlapped);
                }

                try
                {
                    Thread.Sleep(5);
                    lock (gate)
                    {
                        if (DateTime.UtcNow < lockedUntil)
                        {
                            return StubGateway.Error(61121, "Another user in the organization is starting a stream processing job.");
                        }

                        lockedUntil = DateTime.UtcNow.AddMilliseconds(100);
                        return StubGateway.Ok("\"\"");
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            };
            var options = StubGateway.FastOptions();
            options.MaxRetries = 0;
            options.StartRetryDelay = TimeSpan.FromMilliseconds(20);
            var client = gateway.Connect(options).CreateClient();

            var starts = Enumerable.Range(1, 6).Select(i => client.StartPipelineAsync(StubGateway.OrgId, "pl-" + i, new StartPipelineRequest())).ToList();
            await Task.WhenAll(starts);

            Assert.All(starts, s => Assert.Equal(StateChange.Applied, s.Result));
            overlapped = 0;
            // Once queued, a second round of starts never overlaps.
            var again = Enumerable.Range(7, 4).Select(i => client.StartPipelineAsync(StubGateway.OrgId, "pl-" + i, new StartPipelineRequest())).ToList();
            await Task.WhenAll(again);
            Assert.Equal(0, overlapped);
        }

        [Fact]
        public async Task A_failure_not_retried_comes_out_marked_exhausted_and_otherwise_unchanged()
        {
            var policy = new RetryPolicy(new StreamingClientOptions());
            var redirect = new EnosTransportException("the gateway answered with HTTP 301, a redirect", "It was not followed.", null,
                TransportFailure.InvalidResponse, HttpStatusCode.MovedPermanently, null, new InvalidOperationException("beneath"))
            {
                SuggestedGatewayUrl = "https://other.example",
                RetryAfter = TimeSpan.FromSeconds(7),
            };

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw redirect, "pause pipeline 'x'", NullLogger.Instance, CancellationToken.None));

            Assert.True(error.RetriesExhausted);
            Assert.False(error.ChangedNothing); // an answer came: the call may have been applied
            Assert.False(redirect.RetriesExhausted); // a copy: the flags are read-only
            Assert.Equal(redirect.Message, error.Message);
            Assert.Equal(redirect.Reason, error.Reason);
            Assert.Equal(redirect.Detail, error.Detail);
            Assert.Equal(redirect.StatusCode, error.StatusCode);
            Assert.Equal("https://other.example", error.SuggestedGatewayUrl);
            Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
            Assert.Same(redirect.InnerException, error.InnerException);
        }

        [Fact]
        public async Task A_failure_that_never_reached_the_gateway_comes_out_not_applied()
        {
            var policy = new RetryPolicy(new StreamingClientOptions());

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw new EnosTransportException("the TLS handshake failed", TransportFailure.TlsHandshake, null, null),
                "pause pipeline 'x'", NullLogger.Instance, CancellationToken.None));

            Assert.True(error.RetriesExhausted);
            Assert.True(error.ChangedNothing);
            Assert.Equal(TransportFailure.TlsHandshake, error.Failure);
        }

        [Theory]
        [InlineData(TransportFailure.HttpStatus, 503, false)] // it reached the service
        [InlineData(TransportFailure.HttpStatus, 429, true)] // throttled: the gateway turned it away
        [InlineData(TransportFailure.ConnectionRefused, null, true)] // nothing listened
        public async Task A_budget_that_runs_out_between_attempts_says_whether_one_may_have_been_applied(TransportFailure failure, int? status, bool notApplied)
        {
            var options = new StreamingClientOptions { Timeout = TimeSpan.FromMilliseconds(300), InitialRetryDelay = TimeSpan.FromMilliseconds(50), MaxRetries = 10 };
            var policy = new RetryPolicy(options, (delay, token) => Task.Delay(delay + TimeSpan.FromSeconds(2), token));

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw new EnosTransportException("it failed", failure, (HttpStatusCode?)status, null),
                "pause pipeline 'x'", NullLogger.Instance, CancellationToken.None));

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.Equal(notApplied, error.ChangedNothing);
        }

        [Fact]
        public async Task An_attempt_the_budget_cuts_short_may_have_been_applied()
        {
            var policy = new RetryPolicy(new StreamingClientOptions { Timeout = TimeSpan.FromMilliseconds(200) });

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                async token =>
                {
                    await Task.Delay(Timeout.Infinite, token);
                    return 0;
                },
                "pause pipeline 'x'", NullLogger.Instance, CancellationToken.None));

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.True(error.RetriesExhausted);
            Assert.False(error.ChangedNothing); // it was on its way when the time ran out
            Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        }

        [Fact]
        public async Task A_wait_that_would_outlast_the_budget_ends_the_operation_instead()
        {
            var waits = new ConcurrentQueue<TimeSpan>();
            var lines = new ConcurrentQueue<string>();
            var policy = new RetryPolicy(new StreamingClientOptions { Timeout = TimeSpan.FromSeconds(30) }, (delay, _) =>
            {
                waits.Enqueue(delay);
                return Task.CompletedTask;
            });
            var unavailable = Unavailable(TimeSpan.FromHours(1));

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw unavailable, "pause pipeline 'x'", new LineLogger(lines), CancellationToken.None));

            Assert.Empty(waits);
            Assert.Empty(lines); // no "Retry 1 of 3 in 3600000 ms" that will never come
            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.Equal("the connection's timeout (30 s) ran out; the last attempt failed because the gateway answered HTTP 503 Service Unavailable", error.Reason);
            Assert.Same(unavailable, error.InnerException);
            Assert.False(error.ChangedNothing);
        }

        [Fact]
        public async Task Retries_and_throttling_are_told_in_their_own_words()
        {
            var waits = new ConcurrentQueue<TimeSpan>();
            var lines = new ConcurrentQueue<string>();
            var policy = new RetryPolicy(new StreamingClientOptions { MaxRetries = 1 }, (delay, _) =>
            {
                waits.Enqueue(delay);
                return Task.CompletedTask;
            });
            var failures = new Exception[] { Throttling(TimeSpan.FromSeconds(2)), Unavailable(TimeSpan.FromSeconds(2)), Throttling(TimeSpan.FromSeconds(2)) };
            var calls = 0;

            var result = await policy.ExecuteAsync(
                _ => calls < failures.Length ? throw failures[calls++] : Task.FromResult(7), "pause pipeline 'x'", new LineLogger(lines), CancellationToken.None);

            Assert.Equal(7, result);
            Assert.Equal(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) }, waits);
            const string throttled = "Pause pipeline 'x': the gateway is throttling (HTTP 429); slowing down and trying again in 2000 ms (not counted as a retry).";
            Assert.Equal(new[] { throttled, "Pause pipeline 'x': The gateway answered HTTP 503 Service Unavailable. Retry 1 of 1 in 2000 ms.", throttled }, lines);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_start_gives_its_turn_back_however_it_ends(bool endsWithAnAnswer)
        {
            var lane = new StartQueue().For("o-1");
            var lines = new ConcurrentQueue<string>();
            var policy = new RetryPolicy(new StreamingClientOptions { Timeout = TimeSpan.FromMilliseconds(500), StartRetryDelay = TimeSpan.FromMilliseconds(10) });
            var refusal = new EnosApiException(61100, "The pipeline does not exist.", null, "start pipeline 'x'");
            var calls = 0;

            var error = await Assert.ThrowsAnyAsync<EnosException>(() => policy.ExecuteAsync<int>(
                async token =>
                {
                    if (++calls == 1)
                    {
                        throw Busy();
                    }

                    if (endsWithAnAnswer)
                    {
                        throw refusal;
                    }

                    await Task.Delay(Timeout.Infinite, token);
                    return 0;
                },
                "start pipeline 'x'", new LineLogger(lines), CancellationToken.None, lane));

            Assert.Equal(2, calls);
            if (endsWithAnAnswer)
            {
                Assert.Same(refusal, error);
            }
            else
            {
                Assert.Equal(TransportFailure.TimedOut, Assert.IsType<EnosTransportException>(error).Failure);
            }

            using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                // Throws if the ended start still held the organisation's turn.
                (await lane.WaitTurnAsync(patience.Token)).Dispose();
            }

            Assert.Equal(
                new[]
                {
                    "Organisation 'o-1' is busy starting another pipeline (EnOS 61121): starts are now sent one at a time.",
                    "Start pipeline 'x': waiting for its turn; organisation 'o-1' starts one pipeline at a time (0 other start(s) waiting).",
                },
                lines);
        }

        [Fact]
        public async Task A_long_wait_for_a_busy_organisation_asks_less_often_and_is_told_every_5_s()
        {
            var lane = new StartQueue().For("o-1");
            var clock = new ManualClock();
            var waits = new ConcurrentQueue<TimeSpan>();
            var lines = new ConcurrentQueue<string>();
            var options = new StreamingClientOptions { Timeout = TimeSpan.FromSeconds(12), StartRetryDelay = TimeSpan.FromMilliseconds(100), MaxRetries = 0 };
            var policy = new RetryPolicy(options, (delay, token) =>
            {
                token.ThrowIfCancellationRequested(); // bounded by the real 12 s, should the hand-moved clock be ignored
                waits.Enqueue(delay);
                return clock.Delay(delay, token);
            }, clock);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw Busy(), "start pipeline 'x'", new LineLogger(lines), CancellationToken.None, lane));

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.Equal("the organisation was still busy starting another pipeline (EnOS 61121) when the connection's timeout (12 s) ran out", error.Reason);
            // Every 100 ms for the first 5 s of its turn, then every 4 x 100 ms.
            Assert.Equal(Enumerable.Repeat(100d, 50), waits.Take(50).Select(wait => wait.TotalMilliseconds));
            Assert.All(waits.Skip(50), wait => Assert.Equal(400, wait.TotalMilliseconds));
            Assert.Equal(50 + 17, waits.Count); // the last at 11.4 s: one more would end past 12 s
            Assert.Equal(
                new[]
                {
                    "Organisation 'o-1' is busy starting another pipeline (EnOS 61121): starts are now sent one at a time.",
                    "Start pipeline 'x': waiting for its turn; organisation 'o-1' starts one pipeline at a time (0 other start(s) waiting).",
                    "Start pipeline 'x': still waiting for organisation 'o-1' to finish another start (5 s so far, 0 more queued).",
                    "Start pipeline 'x': still waiting for organisation 'o-1' to finish another start (10 s so far, 0 more queued).",
                },
                lines);
        }

        [Fact]
        public void Retry_after_is_honoured_when_longer_than_the_backoff()
        {
            var policy = new RetryPolicy(new StreamingClientOptions { InitialRetryDelay = TimeSpan.FromMilliseconds(100) });

            Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayBefore(1, TimeSpan.FromSeconds(3)));
            var backoff = policy.DelayBefore(3, null);
            Assert.InRange(backoff.TotalMilliseconds, 200, 400); // 400 ms halved at most by jitter
        }

        private static EnosTransportException Unavailable(TimeSpan? retryAfter) =>
            new EnosTransportException("the gateway answered HTTP 503 Service Unavailable", TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable, null)
            {
                RetryAfter = retryAfter,
            };

        private static EnosTransportException Throttling(TimeSpan retryAfter) =>
            new EnosTransportException("the gateway answered HTTP 429 Too Many Requests", TransportFailure.HttpStatus, (HttpStatusCode)429, null)
            {
                RetryAfter = retryAfter,
            };

        private static EnosApiException Busy() =>
            new EnosApiException(EnosErrorCodes.AnotherUserStarting, "Another user in the organization is starting a stream processing job.", null, "start pipeline 'x'");
    }
}
