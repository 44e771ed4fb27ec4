using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using EnOS.Streaming.Logging;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public sealed class TokenServiceTests : IDisposable
    {
        private const string LeakyToken = "SECRET-TOKEN-123";
        private readonly StubGateway _gateway = new StubGateway();

        public void Dispose() => _gateway.Dispose();

        private sealed class CapturingLog : IClientLog
        {
            public ConcurrentQueue<string> Lines { get; } = new ConcurrentQueue<string>();
            public bool IsEnabled(ClientLogLevel level) => true;
            public void Write(ClientLogLevel level, string message) => Lines.Enqueue(message);
        }

        [Fact]
        public async Task The_token_request_is_the_documented_body()
        {
            await _gateway.Connect().VerifyCredentialsAsync();

            var request = Assert.Single(_gateway.Requests);
            Assert.Equal("https://gateway.test/apim-token-service/v2.0/token/get", request.Uri.AbsoluteUri);
            using var body = System.Text.Json.JsonDocument.Parse(request.Body);
            var timestamp = body.RootElement.GetProperty("timestamp").GetInt64();
            Assert.Equal(StubGateway.AppKey, body.RootElement.GetProperty("appKey").GetString());
            Assert.Equal(Signing.RequestSigner.ComputeTokenEncryption(StubGateway.AppKey, timestamp, StubGateway.AppSecret),
                body.RootElement.GetProperty("encryption").GetString());
        }

        [Fact]
        public async Task A_rejected_token_is_exchanged_through_refresh_with_the_token_in_the_body()
        {
            var calls = 0;
            _gateway.Respond = _ => ++calls == 1 ? StubGateway.Error(1203, "expired") : StubGateway.Ok("\"\"");

            await _gateway.Connect().CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1");

            var refresh = Assert.Single(_gateway.Requests, r => r.Path.EndsWith("/token/refresh", StringComparison.Ordinal));
            Assert.Contains("\"accessToken\":\"token-1\"", refresh.Body);
        }

        [Theory]
        [InlineData("{\"status\":0,\"msg\":\"SUCCESS\",\"data\":{\"accessToken\":\"" + LeakyToken + "\",\"expire\":72")]
        [InlineData("{\"code\":0,\"data\":{\"accessToken\":\"" + LeakyToken + "\"}}")]
        public async Task A_token_answer_that_cannot_be_read_is_never_quoted(string body)
        {
            var options = StubGateway.FastOptions();
            options.MaxRetries = 1;
            _gateway.TokenRespond = _ => StubGateway.Json(body);
            var log = new CapturingLog();

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => _gateway.Connect(options).VerifyCredentialsAsync(log));

            Assert.DoesNotContain(LeakyToken, error.ToString());
            Assert.DoesNotContain(LeakyToken, error.BodyExcerpt ?? string.Empty);
            Assert.DoesNotContain(log.Lines, line => line.Contains(LeakyToken));
        }

        [Fact]
        public async Task A_failing_token_service_is_retried_by_one_policy_not_two()
        {
            var options = StubGateway.FastOptions();
            options.MaxRetries = 2;
            _gateway.TokenRespond = _ => StubGateway.Json("", HttpStatusCode.ServiceUnavailable);

            await Assert.ThrowsAsync<EnosTransportException>(() => _gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            // MaxRetries + 1 token requests, not (MaxRetries + 1) squared.
            Assert.Equal(3, _gateway.Requests.Count(r => r.Path.StartsWith("/apim-token-service", StringComparison.Ordinal)));
            Assert.Empty(_gateway.ApiRequests);
        }

        [Fact]
        public async Task A_get_carries_no_body_and_a_post_carries_the_content_type()
        {
            var client = _gateway.Connect().CreateClient();
            _gateway.Respond = r => r.Method == "GET" ? StubGateway.Ok("{\"pipelineId\":\"pl-1\"}") : StubGateway.Ok("\"\"");

            await client.GetPipelineAsync(StubGateway.OrgId, "pl-1");
            await client.PausePipelineAsync(StubGateway.OrgId, "pl-1");

            var requests = _gateway.ApiRequests.ToList();
            Assert.Null(requests[0].ContentType);
            Assert.Equal("application/json;charset=UTF-8", requests[1].ContentType);
        }
    }
}
