using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Http;
using EnOS.Streaming.Logging;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>Messages say each fact once, and the same event in the same words.</summary>
    public sealed class MessageTests : IDisposable
    {
        private readonly StubGateway _gateway = new StubGateway();

        public void Dispose() => _gateway.Dispose();

        [Fact]
        public async Task Giving_up_names_the_operation_once_and_the_failure_once()
        {
            var options = StubGateway.FastOptions();
            options.MaxRetries = 2;
            _gateway.Respond = _ => StubGateway.Json("<html>busy</html>", HttpStatusCode.ServiceUnavailable);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal("Could not pause pipeline 'pl-1': the gateway answered HTTP 503 Service Unavailable each time (gave up after 3 attempts). "
                         + "The body was: <html>busy</html>", error.Message);
            // What a record composes from: the failure without the operation.
            Assert.Equal("the gateway answered HTTP 503 Service Unavailable each time (gave up after 3 attempts)", error.Reason);
            Assert.Equal("pause pipeline 'pl-1'", error.Operation);
        }

        [Fact]
        public async Task Attempts_that_failed_differently_are_told_by_the_last()
        {
            var options = StubGateway.FastOptions();
            options.MaxRetries = 2;
            var calls = 0;
            _gateway.Respond = _ => ++calls < 3 ? throw new HttpRequestException("connection reset") : StubGateway.Json("", HttpStatusCode.BadGateway);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal("the gateway answered HTTP 502 Bad Gateway at the last attempt (gave up after 3 attempts)", error.Reason);
        }

        [Fact]
        public async Task A_failed_token_request_says_so_once_within_the_operation()
        {
            var options = StubGateway.FastOptions();
            options.MaxRetries = 1;
            _gateway.TokenRespond = _ => StubGateway.Json("", HttpStatusCode.ServiceUnavailable);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal("while getting an access token, the gateway answered HTTP 503 Service Unavailable each time (gave up after 2 attempts)", error.Reason);
            Assert.Equal("While getting an access token, the gateway answered HTTP 503 Service Unavailable each time (gave up after 2 attempts).", error.Message);
        }

        [Theory]
        [InlineData(503, "503 Service Unavailable")]
        [InlineData(429, "429 Too Many Requests")]
        [InlineData(200, "200 OK")]
        [InlineData(502, "502 Bad Gateway")]
        [InlineData(599, "599")]
        public void Http_statuses_read_as_words(int status, string expected) =>
            Assert.Equal(expected, ApiEnvelope.StatusText((HttpStatusCode)status));

        [Fact]
        public async Task A_token_renewal_is_told_as_renewing_the_access_token_whatever_its_cause()
        {
            var lines = new ConcurrentQueue<string>();
            var logger = new LineLogger(lines);

            // Early renewal (the token's last minutes), whose refresh fails and falls back to a new token.
            var now = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
            var cache = new TokenCache(new FailingRefreshSource(() => now), () => now);
            await cache.GetTokenAsync(logger, CancellationToken.None);
            now += TimeSpan.FromMinutes(117);
            await cache.GetTokenAsync(logger, CancellationToken.None);

            // Renewal after the gateway's 1203.
            var calls = 0;
            _gateway.Respond = _ => ++calls == 1 ? StubGateway.Error(1203, "access token expired") : StubGateway.Ok("\"\"");
            await _gateway.Connect().CreateClient(new LineLog(lines)).PausePipelineAsync(StubGateway.OrgId, "pl-1");

            var renewal = lines.Where(l => l.Contains("renew", StringComparison.OrdinalIgnoreCase)
                                           || l.Contains("refresh", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Contains(renewal, l => l.StartsWith("Renewing the access token: it expires at ", StringComparison.Ordinal));
            Assert.Contains(renewal, l => l.StartsWith("Renewing the access token by refresh failed (EnOS 1204)", StringComparison.Ordinal));
            Assert.Contains(renewal, l => l.Contains("(EnOS 1203): renewing the access token"));
            Assert.All(renewal, l => Assert.Contains("renewing the access token", l, StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public async Task The_listing_and_the_state_changes_tell_their_story_in_the_same_words()
        {
            var lines = new ConcurrentQueue<string>();
            var client = _gateway.Connect().CreateClient(new LineLog(lines, debug: true));
            const string listed = "\"pipelines\":[{\"pipelineId\":\"pl-r\",\"status\":\"RUNNING\"},{\"pipelineId\":\"pl-p\",\"status\":\"PAUSED\"}]";
            _gateway.Respond = _ => StubGateway.Ok("{\"count\":2," + listed + "}");
            await client.PlanResumeAsync(StubGateway.OrgId, "pl-r", new PipelineDirectory(client));
            _gateway.Respond = _ => StubGateway.Ok("{" + listed + "}");
            using (var listing = client.ListPipelines(StubGateway.OrgId, includeSystem: false))
            {
                await listing.ReadAllAsync(CancellationToken.None);
            }

            _gateway.Respond = _ => StubGateway.Error(61152, "Status of the stream processing job cannot be changed from [PAUSED] to Paused.");
            await client.PausePipelineAsync(StubGateway.OrgId, "pl-p");

            var told = lines.Where(l => !l.StartsWith("POST", StringComparison.Ordinal) && !l.StartsWith("GET", StringComparison.Ordinal)
                                        && !l.StartsWith("HTTP", StringComparison.Ordinal)).ToList();
            Assert.Contains("Page 1: 2 pipelines (the organisation has 2).", told);
            Assert.Contains("Pipeline 'pl-r' is listed as running: nothing to send.", told);
            Assert.Contains("Page 1: 2 pipelines (the organisation has an unreported number of).", told);
            Assert.Contains("EnOS 61152 says pipeline 'pl-p' is already PAUSED: the asked-for state.", told);
        }

        [Fact]
        public async Task The_debug_trace_reads_as_it_always_has_even_without_a_reason_phrase()
        {
            var lines = new ConcurrentQueue<string>();
            // 299 has no reason phrase: the trace has always written the missing one as "(null)".
            _gateway.Respond = _ => StubGateway.Json("{\"code\":0,\"msg\":\"OK\",\"data\":\"\"}", (HttpStatusCode)299);

            await _gateway.Connect().CreateClient(new LineLog(lines, debug: true)).PausePipelineAsync(StubGateway.OrgId, "pl-1");

            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l,
                @"^HTTP POST https://\S+/streaming/\S+ \(apim-accesstoken: \[redacted\], apim-signature: \[redacted\], apim-timestamp: \d+\)"));
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^HTTP 299 \(null\) from POST /\S+ in \d+ ms, \d+ characters$"));
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^EnOS answered code 0 \"OK\", request id \\(null\\)\\.$"));
        }

        private sealed class FailingRefreshSource : IAccessTokenSource
        {
            private readonly Func<DateTimeOffset> _now;
            private int _issued;

            public FailingRefreshSource(Func<DateTimeOffset> now) => _now = now;

            public Task<AccessToken> GetNewAsync(ILogger logger, CancellationToken cancellationToken) =>
                Task.FromResult(new AccessToken("t" + Interlocked.Increment(ref _issued), _now(), _now() + TimeSpan.FromHours(2)));

            public Task<AccessToken> RefreshAsync(AccessToken current, ILogger logger, CancellationToken cancellationToken) =>
                throw new EnosApiException(1204, "refresh failed", null, "refresh the access token");
        }

        private sealed class LineLog : IClientLog
        {
            private readonly ConcurrentQueue<string> _lines;

            private readonly bool _debug;

            public LineLog(ConcurrentQueue<string> lines, bool debug = false)
            {
                _lines = lines;
                _debug = debug;
            }

            public bool IsEnabled(ClientLogLevel level) => _debug || level != ClientLogLevel.Debug;

            public void Write(ClientLogLevel level, string message) => _lines.Enqueue(message);
        }
    }
}
