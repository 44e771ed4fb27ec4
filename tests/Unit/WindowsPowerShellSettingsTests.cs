using System.Net;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>
    /// Settings that matter on Windows PowerShell 5.1 (.NET Framework), which cannot run here: the
    /// decisions are pure functions or request properties, tested as such.
    /// </summary>
    public class WindowsPowerShellSettingsTests
    {
        private const SecurityProtocolType SystemDefault = 0;
        private const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;

        [Fact]
        public void SystemDefault_is_left_to_the_operating_system()
        {
            Assert.Equal(SystemDefault, GatewayHandlers.WithTls12(SystemDefault));
        }

        [Theory]
        [InlineData((SecurityProtocolType)48 | SecurityProtocolType.Tls)] // Ssl3, obsolete by name
        [InlineData(SecurityProtocolType.Tls)]
        [InlineData(SecurityProtocolType.Tls | SecurityProtocolType.Tls11)]
        public void An_old_explicit_set_gains_TLS_12_and_keeps_what_it_had(SecurityProtocolType current)
        {
            Assert.Equal(current | SecurityProtocolType.Tls12, GatewayHandlers.WithTls12(current));
        }

        [Theory]
        [InlineData(SecurityProtocolType.Tls12)]
        [InlineData(SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12)]
        [InlineData(Tls13)]
        [InlineData(Tls13 | SecurityProtocolType.Tls12)]
        public void A_set_with_TLS_12_or_newer_is_never_changed(SecurityProtocolType current)
        {
            Assert.Equal(current, GatewayHandlers.WithTls12(current));
        }

        [Fact]
        public async Task No_request_asks_for_100_continue()
        {
            // On .NET Framework the handler copies ExpectContinue onto the ServicePoint before each
            // request; left null, every POST with a body waits for a "100 Continue" first.
            var gateway = new StubGateway();
            var client = gateway.Connect().CreateClient();
            await client.PausePipelineAsync(StubGateway.OrgId, "pl-1");
            using (var listing = client.ListPipelines(StubGateway.OrgId, includeSystem: false))
            {
                gateway.Respond = _ => StubGateway.Ok("{\"count\":0,\"pipelines\":[]}");
                await listing.ReadAllAsync(CancellationToken.None);
            }

            Assert.Equal(3, gateway.Requests.Count); // token, pause, one page
            Assert.All(gateway.Requests, r => Assert.False(r.ExpectContinue ?? true));
        }
    }
}
