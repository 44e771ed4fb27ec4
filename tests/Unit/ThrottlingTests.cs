using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>A clock moved by hand: a delay moves it at once, so waits are measured, not waited.</summary>
    internal sealed class ManualClock : MonotonicClock
    {
        private long _ticks;

        public override TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            if (delay > TimeSpan.Zero)
            {
                Advance(delay);
            }

            return Task.CompletedTask;
        }
    }

    public class AdaptiveLimiterTests
    {
        private readonly ManualClock _clock = new ManualClock();

        private static async Task SendAsync(AdaptiveLimiter limiter) => (await limiter.AcquireAsync(CancellationToken.None)).Dispose();

        private void AcceptOneSecondOf(AdaptiveLimiter limiter, int calls)
        {
            for (var i = 0; i < calls; i++)
            {
                _clock.Advance(TimeSpan.FromSeconds(1.0 / calls));
                limiter.OnAccepted();
            }
        }

        [Fact]
        public async Task Calls_are_not_paced_until_the_gateway_throttles()
        {
            var limiter = new AdaptiveLimiter(64, _clock);

            for (var i = 0; i < 500; i++)
            {
                await SendAsync(limiter);
                limiter.OnAccepted();
            }

            Assert.Equal(TimeSpan.Zero, _clock.Now);
            Assert.Equal(0, limiter.Rate);
        }

        [Fact]
        public async Task A_429_paces_calls_just_below_the_rate_the_gateway_accepted()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            AcceptOneSecondOf(limiter, 20);

            limiter.OnThrottled();

            Assert.Equal(20 * SendPace.DecreaseFactor, limiter.Rate, 3);
            var start = _clock.Now;
            for (var i = 0; i < 18; i++)
            {
                await SendAsync(limiter);
            }

            // 18 calls at 18 a second, the first one interval after the 429.
            Assert.InRange((_clock.Now - start).TotalSeconds, 0.95, 1.05);
        }

        [Fact]
        public void The_429s_of_one_burst_slow_it_down_once()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            AcceptOneSecondOf(limiter, 20);

            limiter.OnThrottled();
            limiter.OnThrottled();
            _clock.Advance(TimeSpan.FromMilliseconds(500));
            limiter.OnThrottled();

            Assert.Equal(18, limiter.Rate, 3);
            // Halved once: slow start had doubled the window from 8 to 16 after the first 8 accepted answers.
            Assert.Equal(SendPace.InitialConcurrency, limiter.Concurrency);
        }

        [Fact]
        public async Task A_fresh_connection_starts_with_a_few_calls_in_flight_and_doubles_them_each_round_all_accepted()
        {
            var limiter = new AdaptiveLimiter(64, _clock);

            foreach (var expected in new[] { 8, 16, 32, 64, 64 })
            {
                Assert.Equal(expected, limiter.Concurrency);
                var round = new IDisposable[expected];
                for (var i = 0; i < expected; i++)
                {
                    round[i] = await limiter.AcquireAsync(CancellationToken.None);
                }

                var oneMore = limiter.AcquireAsync(CancellationToken.None);
                Assert.False(oneMore.IsCompleted, "no more calls in flight than the window");
                foreach (var lease in round)
                {
                    lease.Dispose();
                    limiter.OnAccepted();
                }

                (await oneMore).Dispose();
            }
        }

        [Fact]
        public void Slow_start_ends_at_the_first_429()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            for (var i = 0; i < 8; i++)
            {
                limiter.OnAccepted();
            }

            Assert.Equal(16, limiter.Concurrency);
            limiter.OnThrottled();
            Assert.Equal(8, limiter.Concurrency);

            for (var i = 0; i < 8; i++)
            {
                limiter.OnAccepted();
            }

            Assert.Equal(8, limiter.Concurrency); // one more per window's worth now (8.9), not doubled
        }

        [Fact]
        public void Answers_accepted_just_after_a_429_refine_the_estimate_upward_to_what_the_gateway_accepted()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            // A burst: 5 answers accepted when the first 429 comes back (a refusal is quick), 15 more right after it.
            AcceptOneSecondOf(limiter, 5);
            limiter.OnThrottled();
            Assert.Equal(5 * SendPace.DecreaseFactor, limiter.Rate, 3);

            for (var i = 0; i < 10; i++)
            {
                limiter.OnAccepted();
            }

            Assert.Equal(15 * SendPace.DecreaseFactor, limiter.Rate, 3);
            for (var i = 0; i < 5; i++)
            {
                limiter.OnAccepted();
            }

            limiter.OnThrottled();
            Assert.Equal(20 * SendPace.DecreaseFactor, limiter.Rate, 3);
        }

        [Fact]
        public void The_rate_grows_back_additively_while_nothing_is_throttled_and_pacing_ends_after_a_quiet_spell()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            AcceptOneSecondOf(limiter, 20);
            limiter.OnThrottled();

            _clock.Advance(TimeSpan.FromSeconds(2));
            limiter.OnAccepted();
            Assert.Equal(20, limiter.Rate, 3); // 18 + 2 s x 1 call/s

            _clock.Advance(SendPace.PacingEndsAfter);
            limiter.OnAccepted();
            Assert.Equal(0, limiter.Rate);
        }

        [Fact]
        public async Task A_429_halves_the_calls_in_flight_and_accepted_calls_grow_them_back_to_the_ceiling()
        {
            var limiter = new AdaptiveLimiter(8, _clock);
            AcceptOneSecondOf(limiter, 20);
            limiter.OnThrottled();
            Assert.Equal(4, limiter.Concurrency);

            var held = new[] { await limiter.AcquireAsync(CancellationToken.None), await limiter.AcquireAsync(CancellationToken.None),
                await limiter.AcquireAsync(CancellationToken.None), await limiter.AcquireAsync(CancellationToken.None) };
            var fifth = limiter.AcquireAsync(CancellationToken.None);
            await Task.Delay(50);
            Assert.False(fifth.IsCompleted, "a fifth call must wait while four are in flight");

            held[0].Dispose();
            (await fifth.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
            foreach (var lease in held.Skip(1))
            {
                lease.Dispose();
            }

            for (var i = 0; i < 100; i++)
            {
                limiter.OnAccepted();
            }

            Assert.Equal(8, limiter.Concurrency);
        }

        [Fact]
        public void RateLimit_headers_cap_the_rate_before_any_429()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("RateLimit-Limit", "10");
            response.Headers.TryAddWithoutValidation("RateLimit-Remaining", "7");
            response.Headers.TryAddWithoutValidation("RateLimit-Policy", "10;w=1");

            limiter.OnAccepted(RateLimitHeaders.Read(response.Headers, DateTimeOffset.UtcNow));

            Assert.Equal(10, limiter.Rate, 3);
        }

        [Fact]
        public async Task A_spent_quota_holds_every_call_until_its_reset()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", "0");
            response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", "2");

            limiter.OnAccepted(RateLimitHeaders.Read(response.Headers, DateTimeOffset.UtcNow));
            await SendAsync(limiter);

            Assert.Equal(TimeSpan.FromSeconds(2), _clock.Now);
        }

        internal static RateLimitHeaders Headers(params (string Name, string Value)[] headers)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return RateLimitHeaders.Read(response.Headers, DateTimeOffset.UtcNow)!;
        }

        [Fact]
        public async Task A_policy_from_one_answer_is_lifted_by_an_answer_without_it_or_once_its_window_has_passed()
        {
            var limiter = new AdaptiveLimiter(64, _clock);

            limiter.OnAccepted(Headers(("RateLimit-Policy", "1;w=3600")));
            Assert.Equal(SendPace.MinimumRate, limiter.Rate, 3); // clamped: never one call an hour
            limiter.OnAccepted();
            Assert.Equal(0, limiter.Rate);

            limiter.OnAccepted(Headers(("RateLimit-Policy", "50;w=10")));
            Assert.Equal(5, limiter.Rate, 3);
            _clock.Advance(TimeSpan.FromSeconds(11));
            (await limiter.AcquireAsync(CancellationToken.None)).Dispose(); // the next call finds the window passed
            Assert.Equal(0, limiter.Rate);
        }

        [Fact]
        public void Huge_header_values_are_clamped_and_never_overflow()
        {
            var headers = Headers(("RateLimit-Policy", "10;w=999999999999999999"), ("RateLimit-Reset", "999999999999999999"), ("RateLimit-Remaining", "0"));

            Assert.Equal(RateLimitHeaders.MaxWindow, headers.Window);
            Assert.Equal(RateLimitHeaders.MaxReset, headers.Reset);
            var limiter = new AdaptiveLimiter(64, _clock);
            limiter.OnAccepted(headers);
            Assert.Equal(SendPace.MinimumRate, limiter.Rate, 3);
        }

        [Fact]
        public async Task A_wait_the_headers_ask_for_beyond_a_few_seconds_is_told_with_the_header_not_waited_in_the_queue()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            limiter.OnAccepted(Headers(("RateLimit-Remaining", "0"), ("RateLimit-Reset", "3600")));

            var held = await Assert.ThrowsAsync<EnosTransportException>(() => limiter.AcquireAsync(CancellationToken.None));

            Assert.Equal(TransportFailure.RateLimited, held.Failure);
            Assert.Equal(RequestOutcome.NotSent, held.Outcome);
            Assert.Equal(TimeSpan.FromSeconds(3600), held.RetryAfter);
            Assert.Contains("RateLimit-Remaining: 0 with RateLimit-Reset: 3600", held.Reason);
            Assert.Contains("3600 s", held.Reason);
            Assert.Equal(TimeSpan.Zero, _clock.Now); // nothing was waited

            limiter.OnAccepted(); // an answer without the headers lifts the hold
            (await limiter.AcquireAsync(CancellationToken.None)).Dispose();
        }

        [Fact]
        public async Task A_caller_that_gives_up_while_queued_leaves_no_slot_taken()
        {
            var limiter = new AdaptiveLimiter(1, new MonotonicClock());
            var held = await limiter.AcquireAsync(CancellationToken.None);
            using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync(cancel.Token));
            }

            held.Dispose();
            (await limiter.AcquireAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
            Assert.Equal(0, limiter.Waiting);
        }
    }

    /// <summary>Token requests take their turns in the connection's limiter, as API calls do.</summary>
    public sealed class TokenPacingTests : IDisposable
    {
        private readonly ManualClock _clock = new ManualClock();
        private readonly StubGateway _gateway = new StubGateway();

        public void Dispose() => _gateway.Dispose();

        private TokenServiceClient TokenService(AdaptiveLimiter limiter) =>
            new TokenServiceClient(_gateway.Http(), new AppCredential(StubGateway.AppKey, StubGateway.AppSecret),
                new RetryPolicy(StubGateway.FastOptions()), limiter);

        [Fact]
        public async Task A_token_request_waits_out_the_hold_the_gateways_headers_set()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            limiter.OnAccepted(AdaptiveLimiterTests.Headers(("RateLimit-Remaining", "0"), ("RateLimit-Reset", "2")));

            var token = await TokenService(limiter).GetNewAsync(NullLogger.Instance, CancellationToken.None);

            Assert.Equal("token-1", token.Value);
            Assert.Equal(TimeSpan.FromSeconds(2), _clock.Now); // sent once the quota was back, not before
            Assert.Single(_gateway.Requests);
        }

        [Fact]
        public async Task A_token_request_waits_for_a_free_slot_like_any_call()
        {
            var limiter = new AdaptiveLimiter(1, MonotonicClock.System);
            var apiCall = await limiter.AcquireAsync(CancellationToken.None);

            var request = TokenService(limiter).GetNewAsync(NullLogger.Instance, CancellationToken.None);
            await Task.Delay(100);
            Assert.False(request.IsCompleted, "the token request must wait while the one slot is taken");
            Assert.Empty(_gateway.Requests);

            apiCall.Dispose();
            Assert.Equal("token-1", (await request.WaitAsync(TimeSpan.FromSeconds(10))).Value);
        }

        [Fact]
        public async Task A_429_from_the_token_service_slows_the_limiter_the_api_calls_share()
        {
            var limiter = new AdaptiveLimiter(64, _clock);
            var answers = 0;
            _gateway.TokenRespond = _ => Interlocked.Increment(ref answers) == 1
                ? StubGateway.Json("{\"code\":429,\"msg\":\"Too Many Requests\"}", (HttpStatusCode)429)
                : null;

            var token = await TokenService(limiter).GetNewAsync(NullLogger.Instance, CancellationToken.None);

            Assert.Equal("token-1", token.Value);
            Assert.Equal(2, _gateway.Requests.Count);
            Assert.True(limiter.Rate > 0, "a 429 paces the calls that follow");
            Assert.Equal(SendPace.InitialConcurrency / 2, limiter.Concurrency);
            Assert.True(_clock.Now >= TimeSpan.FromSeconds(1), "the retried request waited for its paced turn");
        }

        [Fact]
        public async Task A_token_renewal_in_the_middle_of_a_bulk_run_one_call_at_a_time_does_not_deadlock()
        {
            var options = StubGateway.FastOptions();
            options.MaxConnectionsPerServer = 1;
            var answered = 0;
            var expired = 0;
            var accepted = new System.Collections.Concurrent.ConcurrentBag<string>();
            // The 20th call says the token expired (1203), and so does every later call that still carries it.
            _gateway.Respond = request =>
            {
                var stale = request.Headers[GatewayHttp.AccessTokenHeader] == "token-1";
                if (stale && (Interlocked.Increment(ref answered) == 20 || Volatile.Read(ref expired) == 1))
                {
                    Volatile.Write(ref expired, 1);
                    return StubGateway.Error(EnosErrorCodes.AccessTokenExpired, "token expired");
                }

                accepted.Add(request.Uri.PathAndQuery);
                return StubGateway.Ok("\"\"");
            };
            using var connection = _gateway.Connect(options);
            var client = connection.CreateClient();

            var calls = Enumerable.Range(1, 50).Select(i => client.PausePipelineAsync(StubGateway.OrgId, "pl-" + i)).ToList();
            // Bounded: a deadlock shows as this timeout, not as a hung test run.
            await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.All(calls, call => Assert.True(call.IsCompletedSuccessfully));
            var requests = _gateway.Requests.ToList();
            var refresh = requests.FindIndex(r => r.Path.EndsWith("/token/refresh", StringComparison.Ordinal));
            Assert.True(refresh > 20 && refresh < requests.Count - 1, $"the renewal came mid-run (request {refresh} of {requests.Count})");
            Assert.Equal(2, _gateway.TokensIssued);
            Assert.Equal(50, accepted.Count);
            Assert.Equal(50, accepted.Distinct().Count()); // each pipeline paused once, none lost
        }
    }

    public class ResponseClassifierTests
    {
        private static EnosTransportException Transport(TransportFailure failure, HttpStatusCode? status = null) =>
            new EnosTransportException("x", failure, status, null);

        [Fact]
        public void Throttling_spends_time_not_attempts()
        {
            var decision = ResponseClassifier.Classify(Transport(TransportFailure.HttpStatus, (HttpStatusCode)429), isStart: false);

            Assert.Equal(RetryKind.Throttled, decision.Kind);
        }

        [Theory]
        [InlineData(TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable)]
        [InlineData(TransportFailure.TimedOut, null)]
        [InlineData(TransportFailure.Unreachable, null)]
        [InlineData(TransportFailure.ConnectionRefused, null)]
        public void Real_failures_spend_an_attempt(TransportFailure failure, HttpStatusCode? status)
        {
            var decision = ResponseClassifier.Classify(Transport(failure, status), isStart: false);

            Assert.Equal(RetryKind.Transient, decision.Kind);
        }

        [Theory]
        [InlineData(TransportFailure.TlsHandshake)]
        [InlineData(TransportFailure.NameNotResolved)]
        public void Failures_no_retry_can_change_are_not_retried(TransportFailure failure)
        {
            Assert.Equal(RetryKind.None, ResponseClassifier.Classify(Transport(failure), isStart: false).Kind);
        }

        [Fact]
        public void A_failure_already_retried_by_an_inner_policy_is_not_retried_again()
        {
            var inner = Transport(TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable).Exhausted(RequestOutcome.MayHaveApplied);

            Assert.Equal(RetryKind.None, ResponseClassifier.Classify(inner, isStart: false).Kind);
        }

        [Fact]
        public void Another_start_in_progress_queues_a_start_and_nothing_else()
        {
            var busy = new EnosApiException(EnosErrorCodes.AnotherUserStarting, "busy", null, "start pipeline 'x'");

            Assert.Equal(RetryKind.Busy, ResponseClassifier.Classify(busy, isStart: true).Kind);
            Assert.Equal(RetryKind.None, ResponseClassifier.Classify(busy, isStart: false).Kind);
            Assert.Equal(RetryKind.None, ResponseClassifier.Classify(new EnosApiException(61152, "[PAUSED]", null, "pause"), isStart: true).Kind);
        }
    }

    public class TransportFailureKindTests
    {
        [Theory]
        [InlineData(System.Net.Sockets.SocketError.ConnectionRefused, TransportFailure.ConnectionRefused)]
        [InlineData(System.Net.Sockets.SocketError.HostNotFound, TransportFailure.NameNotResolved)]
        [InlineData(System.Net.Sockets.SocketError.ConnectionReset, TransportFailure.Unreachable)]
        public void Socket_errors_say_whether_anything_answered(System.Net.Sockets.SocketError error, TransportFailure expected)
        {
            var exception = new HttpRequestException("failed", new System.IO.IOException("io", new System.Net.Sockets.SocketException((int)error)));

            Assert.Equal(expected, ExchangeFailures.KindOf(exception));
        }

        [Fact]
        public void A_failed_tls_handshake_is_told_apart()
        {
            var exception = new HttpRequestException("The SSL connection could not be established",
                new System.Security.Authentication.AuthenticationException("Cannot determine the frame size or a corrupted frame was received."));

            Assert.Equal(TransportFailure.TlsHandshake, ExchangeFailures.KindOf(exception));
        }
    }

    public class GatewayCircuitTests
    {
        private readonly ManualClock _clock = new ManualClock();

        private static EnosTransportException Refused() =>
            new EnosTransportException("refused", TransportFailure.ConnectionRefused, null, null);

        [Fact]
        public void Opens_after_a_few_consecutive_unreachable_calls_and_lets_calls_through_again_after_the_cooldown()
        {
            var circuit = new GatewayCircuit(_clock);
            for (var i = 0; i < GatewayCircuit.Threshold - 1; i++)
            {
                circuit.OnFailure(Refused());
            }

            circuit.ThrowIfOpen();
            circuit.OnFailure(Refused());

            var error = Assert.Throws<EnosTransportException>(() => circuit.ThrowIfOpen());
            Assert.Equal(RequestOutcome.NotSent, error.Outcome);
            Assert.StartsWith("Not sent, because moments ago refused", error.Message);
            Assert.Equal(RetryKind.None, ResponseClassifier.Classify(error, isStart: false).Kind);

            _clock.Advance(GatewayCircuit.Cooldown);
            circuit.ThrowIfOpen();
            circuit.OnFailure(Refused()); // the trial call failed: open again
            Assert.True(circuit.IsOpen);
            circuit.OnAnswer();
            Assert.False(circuit.IsOpen);
        }

        [Fact]
        public void After_the_cooldown_one_probe_goes_through_and_the_others_still_fail_at_once()
        {
            var circuit = new GatewayCircuit(_clock);
            for (var i = 0; i < GatewayCircuit.Threshold; i++)
            {
                circuit.OnFailure(Refused());
            }

            _clock.Advance(GatewayCircuit.Cooldown);
            circuit.ThrowIfOpen(sends: false); // a look before queueing claims nothing
            circuit.ThrowIfOpen();              // the probe
            Assert.Throws<EnosTransportException>(() => circuit.ThrowIfOpen(sends: false));
            Assert.Throws<EnosTransportException>(() => circuit.ThrowIfOpen());

            _clock.Advance(GatewayCircuit.Cooldown); // a probe that never came back lapses
            circuit.ThrowIfOpen();
            circuit.OnAnswer();
            circuit.ThrowIfOpen();
            circuit.ThrowIfOpen();
        }

        [Fact]
        public void Busy_gateways_do_not_open_it()
        {
            var circuit = new GatewayCircuit(_clock);
            for (var i = 0; i < 20; i++)
            {
                circuit.OnFailure(new EnosTransportException("dropped", TransportFailure.Unreachable, null, null));
                circuit.OnFailure(new EnosTransportException("503", TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable, null));
                circuit.OnFailure(new EnosTransportException("slow", TransportFailure.TimedOut, null, null));
            }

            circuit.ThrowIfOpen();
        }
    }
}
