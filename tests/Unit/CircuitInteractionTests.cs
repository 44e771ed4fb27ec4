using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>How the circuit breaker meets the limiter and the retry policy.</summary>
    public class CircuitInteractionTests
    {
        /// <summary>A clock whose waits never end: a call that waits for a paced turn waits for good.</summary>
        private sealed class FrozenClock : MonotonicClock
        {
            public override TimeSpan Now => TimeSpan.Zero;

            public override Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
                Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        private sealed class FixedToken : IAccessTokenSource
        {
            public Task<AccessToken> GetNewAsync(ILogger logger, CancellationToken cancellationToken) =>
                Task.FromResult(new AccessToken("token-1", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(2)));

            public Task<AccessToken> RefreshAsync(AccessToken current, ILogger logger, CancellationToken cancellationToken) =>
                GetNewAsync(logger, cancellationToken);
        }

        private static EnosTransportException Refused() =>
            new EnosTransportException("refused", TransportFailure.ConnectionRefused, null, null);

        [Fact]
        public async Task A_dead_gateway_fails_calls_at_once_even_while_the_limiter_paces_them()
        {
            var limiter = new AdaptiveLimiter(64, new FrozenClock());
            limiter.OnThrottled(); // paced: the next turn is a second away, on a clock that never gets there
            Assert.True(limiter.Rate > 0);
            var circuit = new GatewayCircuit();
            for (var i = 0; i < GatewayCircuit.Threshold; i++)
            {
                circuit.OnFailure(Refused());
            }

            var gateway = new StubGateway();
            var http = gateway.Http(circuit);
            var caller = new RequestChain(http, new TokenCache(new FixedToken()), new AppCredential(StubGateway.AppKey, StubGateway.AppSecret),
                new RetryPolicy(StubGateway.FastOptions()), limiter);

            var call = caller.CallAsync(
                new ApiRequest(HttpMethod.Post, "/pl-1", Array.Empty<KeyValuePair<string, string>>(), null, "pause pipeline 'pl-1'"),
                NullLogger.Instance, CancellationToken.None);

            Assert.Same(call, await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(5))));
            var error = await Assert.ThrowsAsync<EnosTransportException>(() => call);
            Assert.Equal(RequestOutcome.NotSent, error.Outcome);
            Assert.Empty(gateway.Requests);
            Assert.Equal(0, limiter.Waiting);
        }

        [Fact]
        public async Task A_call_sent_before_the_circuit_opened_is_not_reported_as_not_attempted()
        {
            var gateway = new StubGateway();
            var calls = 0;
            gateway.Respond = _ => Interlocked.Increment(ref calls) == 1
                ? throw new HttpRequestException("The connection dropped.", new IOException("Connection reset by peer"))
                : throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused));
            var options = StubGateway.FastOptions();
            options.MaxRetries = 20;

            var error = await Assert.ThrowsAsync<EnosTransportException>(
                () => gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            // One dropped answer (perhaps applied), then refusals until the circuit opened.
            Assert.Equal(1 + GatewayCircuit.Threshold, calls);
            Assert.Equal(RequestOutcome.MayHaveApplied, error.Outcome); // one dropped answer, then refusals
            Assert.DoesNotContain("Not attempted", error.Message.Split('(')[0]);
            Assert.Contains($"after {1 + GatewayCircuit.Threshold} attempts", error.Message);
            Assert.Contains("may have been applied", error.Message);
            Assert.Equal(TransportFailure.ConnectionRefused, error.Failure);
            Assert.Equal(RetryKind.None, ResponseClassifier.Classify(error, isStart: false).Kind);
        }

        [Fact]
        public async Task An_unreachable_gateway_is_a_fact_of_the_failure_not_only_words_in_it()
        {
            var gateway = new StubGateway();
            gateway.Respond = _ => throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused));

            var error = await Assert.ThrowsAsync<EnosTransportException>(
                () => gateway.Connect(StubGateway.FastOptions()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            // Connect-EnosStreaming reads this instead of searching the message for the URL.
            Assert.NotNull(error.UnreachedGateway);
            Assert.Contains(error.UnreachedGateway!, error.Reason);
            Assert.Equal(RequestOutcome.Refused, error.Outcome); // sent, and turned away: nothing changed
            Assert.True(error.ChangedNothing);
        }

        [Fact]
        public void Whether_a_failure_is_worth_another_try_is_judged_from_its_facts()
        {
            Assert.True(ApiEnvelope.NotAnEnvelope(System.Net.HttpStatusCode.OK, "{\"code\":0,", "was not JSON", null, bodyNotJson: true).IsTransient);
            Assert.False(ApiEnvelope.NotAnEnvelope(System.Net.HttpStatusCode.OK, "{}", "had no numeric 'code'", null).IsTransient);
            Assert.False(new EnosTransportException("no such host", TransportFailure.NameNotResolved, null, null).IsTransient);
            Assert.True(new EnosTransportException("dropped", TransportFailure.Unreachable, null, null).IsTransient);
        }

        [Fact]
        public async Task A_call_only_refused_or_throttled_before_the_circuit_opened_is_not_said_to_be_applied()
        {
            var circuit = new GatewayCircuit();
            var attempts = new Func<Exception>[]
            {
                () => new EnosTransportException("429", TransportFailure.HttpStatus, (System.Net.HttpStatusCode)429, null),
                Refused,
                () =>
                {
                    for (var i = 0; i < GatewayCircuit.Threshold; i++)
                    {
                        circuit.OnFailure(Refused());
                    }

                    return Assert.Throws<EnosTransportException>(() => circuit.ThrowIfOpen());
                },
            };
            var attempt = 0;
            var policy = new RetryPolicy(StubGateway.FastOptions());

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw attempts[attempt++](), "pause pipeline 'pl-1'", NullLogger.Instance, CancellationToken.None));

            Assert.Contains("after 2 attempts", error.Message);
            Assert.Contains("became unreachable", error.Message);
            Assert.DoesNotContain("may have been applied", error.Message);
        }
    }
}

namespace EnOS.Streaming.Tests
{
    public class RateLimitHeaderBoundsTests
    {
        [Theory]
        [InlineData("X-RateLimit-Reset", "99999999999999")] // a Unix time past year 9999
        [InlineData("RateLimit-Reset", "999999999")]        // 31 years in seconds
        public void A_reset_far_away_holds_the_connection_an_hour_at_most_and_never_throws(string header, string value)
        {
            var response = new System.Net.Http.HttpResponseMessage();
            response.Headers.TryAddWithoutValidation("RateLimit-Remaining", "0");
            response.Headers.TryAddWithoutValidation(header, value);

            var read = RateLimitHeaders.Read(response.Headers, DateTimeOffset.UtcNow);

            Assert.NotNull(read);
            Assert.True(read!.Reset <= RateLimitHeaders.MaxReset);
        }
    }

    public class NetFrameworkFailureKindTests
    {
        [Theory]
        [InlineData(System.Net.WebExceptionStatus.NameResolutionFailure, TransportFailure.NameNotResolved)]
        [InlineData(System.Net.WebExceptionStatus.SecureChannelFailure, TransportFailure.TlsHandshake)]
        [InlineData(System.Net.WebExceptionStatus.TrustFailure, TransportFailure.TlsHandshake)]
        [InlineData(System.Net.WebExceptionStatus.ConnectionClosed, TransportFailure.Unreachable)]
        public void The_WebException_status_of_Windows_PowerShell_says_whether_anything_answered(System.Net.WebExceptionStatus status, TransportFailure expected)
        {
            // How .NET Framework's HttpClientHandler reports it: no SocketException beneath for a failed lookup.
            var exception = new HttpRequestException("An error occurred while sending the request.",
                new System.Net.WebException("The remote name could not be resolved: 'gateway.invalid'", status));

            Assert.Equal(expected, ExchangeFailures.KindOf(exception));
        }
    }
}
