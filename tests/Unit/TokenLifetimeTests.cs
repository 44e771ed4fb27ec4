using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Logging;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>The token service's expire, kept within 60 s..24 h whatever it says.</summary>
    public class TokenLifetimeTests
    {
        private sealed class CapturingLog : IClientLog
        {
            public ConcurrentQueue<string> Lines { get; } = new ConcurrentQueue<string>();
            public bool IsEnabled(ClientLogLevel level) => true;
            public void Write(ClientLogLevel level, string message) => Lines.Enqueue(message);
        }

        private static TimeSpan LifetimeOf(string dataJson, CapturingLog? log = null)
        {
            using var data = JsonDocument.Parse(dataJson);
            return TokenServiceClient.TokenLifetime(data.RootElement,
                log == null ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance : new ClientLogger(log));
        }

        [Theory]
        [InlineData("{\"expire\":0}", 60)]
        [InlineData("{\"expire\":-7200}", 60)]
        [InlineData("{\"expire\":0.5}", 60)]
        [InlineData("{\"expire\":1e12}", 86400)]
        [InlineData("{\"expire\":9223372036854775807}", 86400)]
        [InlineData("{\"expire\":99999999999999999999999}", 86400)]
        [InlineData("{\"expire\":\"-1\"}", 60)]
        [InlineData("{\"expire\":\"1e15\"}", 86400)]
        public void An_absurd_expire_is_clamped_with_a_verbose_note(string data, int expectedSeconds)
        {
            var log = new CapturingLog();

            Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), LifetimeOf(data, log));
            Assert.Contains(log.Lines, l => l.Contains("taking " + expectedSeconds + " s instead"));
        }

        [Theory]
        [InlineData("{\"expire\":7200}", 7200)]
        [InlineData("{\"expire\":\"3600\"}", 3600)]
        [InlineData("{\"expire\":60}", 60)]
        [InlineData("{\"expire\":86400}", 86400)]
        public void A_sane_expire_is_kept_without_a_note(string data, int expectedSeconds)
        {
            var log = new CapturingLog();

            Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), LifetimeOf(data, log));
            Assert.Empty(log.Lines);
        }

        [Theory]
        [InlineData("{}")]
        [InlineData("{\"expire\":null}")]
        [InlineData("{\"expire\":\"soon\"}")]
        [InlineData("{\"expire\":true}")]
        [InlineData("{\"expire\":1e400}")]
        public void A_missing_or_unreadable_expire_is_a_lifetime_within_range(string data)
        {
            var lifetime = LifetimeOf(data);

            Assert.InRange(lifetime, TimeSpan.FromSeconds(60), TimeSpan.FromHours(24));
        }

        [Theory]
        [InlineData("0")]
        [InlineData("-1")]
        [InlineData("1e12")]
        [InlineData("1e308")]
        public async Task A_token_with_an_absurd_expire_is_reused_not_requested_per_call(string expire)
        {
            var gateway = new StubGateway();
            gateway.TokenRespond = _ => StubGateway.Json(
                "{\"status\":0,\"msg\":\"SUCCESS\",\"data\":{\"accessToken\":\"token-x\",\"expire\":" + expire + "}}");
            var log = new CapturingLog();
            var client = gateway.Connect().CreateClient(log);

            for (var i = 0; i < 10; i++)
            {
                await client.PausePipelineAsync(StubGateway.OrgId, "pl-" + i);
            }

            Assert.Single(gateway.Requests, r => r.Path.StartsWith("/apim-token-service", StringComparison.Ordinal));
            Assert.Equal(10, gateway.ApiRequests.Count());
            Assert.Contains(log.Lines, l => l.Contains("instead"));
        }
    }
}
