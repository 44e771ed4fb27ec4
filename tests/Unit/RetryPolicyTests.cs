using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
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
                _ => throw new EnosTransportException("503", TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable, null, true),
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
                    _ => throw new EnosTransportException("503", TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable, null, true),
                    "pause pipeline 'x'", NullLogger.Instance, cancel.Token));
            }
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
                TransportFailure.InvalidResponse, HttpStatusCode.MovedPermanently, null, isTransient: false, new InvalidOperationException("beneath"))
            {
                SuggestedGatewayUrl = "https://other.example",
                RetryAfter = TimeSpan.FromSeconds(7),
            };

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw redirect, "pause pipeline 'x'", NullLogger.Instance, CancellationToken.None));

            Assert.True(error.RetriesExhausted);
            Assert.False(error.NotApplied); // an answer came: the call may have been applied
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
                _ => throw new EnosTransportException("the TLS handshake failed", TransportFailure.TlsHandshake, null, null, isTransient: false),
                "pause pipeline 'x'", NullLogger.Instance, CancellationToken.None));

            Assert.True(error.RetriesExhausted);
            Assert.True(error.NotApplied);
            Assert.Equal(TransportFailure.TlsHandshake, error.Failure);
        }

        [Fact]
        public void Retry_after_is_honoured_when_longer_than_the_backoff()
        {
            var policy = new RetryPolicy(new StreamingClientOptions { InitialRetryDelay = TimeSpan.FromMilliseconds(100) });

            Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayBefore(1, TimeSpan.FromSeconds(3)));
            var backoff = policy.DelayBefore(3, null);
            Assert.InRange(backoff.TotalMilliseconds, 200, 400); // 400 ms halved at most by jitter
        }
    }
}
