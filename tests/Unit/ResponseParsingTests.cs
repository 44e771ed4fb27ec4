using System;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using EnOS.Streaming.Json;
using EnOS.Streaming.Model;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public class ResponseParsingTests
    {
        [Fact]
        public void Reads_the_documented_sloppy_sample_with_a_trailing_comma_and_no_data()
        {
            var envelope = ApiEnvelope.Parse("{\n  \"code\": 0,\n  \"msg\": \"OK\",\n}", HttpStatusCode.OK, "code");

            Assert.Equal(0, envelope.Code);
            Assert.Equal(JsonValueKind.Undefined, envelope.Data.ValueKind);
        }

        [Fact]
        public void Reads_the_token_service_status_envelope()
        {
            var envelope = ApiEnvelope.Parse("{\"status\":1003,\"msg\":\"encryption invalid\",\"business\":\"apim-token-service\"}", HttpStatusCode.OK, "status");

            Assert.Equal(1003, envelope.Code);
            Assert.Equal("encryption invalid", envelope.Message);
        }

        [Fact]
        public void A_listed_pipeline_keeps_an_unknown_status_as_text_and_ignores_unknown_fields()
        {
            using var document = JsonDocument.Parse("{\"pipelineId\":\"p1\",\"pipelineName\":\"n\",\"status\":\"DEBUGGING\",\"executionMode\":1,\"templateType\":0,\"futureField\":[1,2]}");

            var pipeline = PipelineJson.ReadListed(document.RootElement, "o1");

            Assert.Equal(PipelineStatus.Unknown, pipeline.Status);
            Assert.Equal("DEBUGGING", pipeline.StatusText);
            Assert.Equal(ExecutionMode.Cluster, pipeline.ExecutionMode);
            Assert.Equal(0, pipeline.TemplateType);
            Assert.Equal("o1", pipeline.OrgId);
        }

        [Theory]
        [InlineData("2026-11-20 08:15:00", "2026-11-20T08:15:00Z")]
        [InlineData("2026-11-20T16:15:00+08:00", "2026-11-20T08:15:00Z")]
        [InlineData("2026-11-20T08:15:00.5Z", "2026-11-20T08:15:00.5Z")]
        [InlineData("1795162500000", "2026-11-20T08:15:00Z")]
        [InlineData("yesterday", null)]
        [InlineData("", null)]
        [InlineData("-5", null)]
        public void Reads_the_update_time_as_utc(string text, string? expected)
        {
            using var document = JsonDocument.Parse("{\"pipelineId\":\"p1\",\"updateTime\":\"" + text + "\"}");

            var pipeline = PipelineJson.ReadListed(document.RootElement, "o1");

            Assert.Equal(text, pipeline.UpdateTimeText);
            if (expected == null)
            {
                Assert.Null(pipeline.UpdateTime);
            }
            else
            {
                Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, pipeline.UpdateTime);
                Assert.Equal(DateTimeKind.Utc, pipeline.UpdateTime!.Value.Kind);
            }
        }

        [Theory]
        [InlineData("{\"pipelineId\":\"p1\"}", false, false)]
        [InlineData("{\"pipelineId\":\"p1\"}", true, null)]
        [InlineData("{\"pipelineId\":\"p1\",\"isSystem\":true}", true, true)]
        [InlineData("{\"pipelineId\":\"p1\",\"isSystem\":0}", true, false)]
        public void Knows_a_system_pipeline_when_the_listing_can_tell(string json, bool systemIncluded, bool? expected)
        {
            using var document = JsonDocument.Parse(json);

            Assert.Equal(expected, PipelineJson.ReadListed(document.RootElement, "o1", systemIncluded).IsSystem);
        }

        [Theory]
        [InlineData("running", PipelineStatus.Running)]
        [InlineData("PAUSED", PipelineStatus.Paused)]
        [InlineData(" STOPPED ", PipelineStatus.Stopped)]
        [InlineData("PUBLISHED", PipelineStatus.Published)]
        [InlineData(null, PipelineStatus.Unknown)]
        public void Parses_status_text(string? text, PipelineStatus expected) => Assert.Equal(expected, PipelineStatusText.Parse(text));

        [Fact]
        public void An_html_error_page_becomes_a_transport_error_with_status_and_excerpt()
        {
            var error = Assert.Throws<EnosTransportException>(() =>
                ApiEnvelope.Parse("<html><body><h1>500 Internal</h1></body></html>", HttpStatusCode.InternalServerError, "code"));

            Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.Contains("HTTP 500", error.Message);
            Assert.Contains("<h1>500 Internal</h1>", error.Message);
        }

        [Fact]
        public void Json_without_a_code_is_a_transport_error_not_a_crash()
        {
            var error = Assert.Throws<EnosTransportException>(() => ApiEnvelope.Parse("{\"hello\":1}", HttpStatusCode.OK, "code"));

            Assert.Contains("no numeric 'code'", error.Message);
            Assert.False(error.IsTransient); // a complete answer of another kind: retrying will not change it
        }

        [Fact]
        public void Truncated_json_is_a_transient_transport_error()
        {
            var error = Assert.Throws<EnosTransportException>(() => ApiEnvelope.Parse("{\"code\":0,\"msg\":\"OK\",\"data\":{", HttpStatusCode.OK, "code"));

            Assert.True(error.IsTransient); // an answer cut off on the way
        }

        [Fact]
        public void A_long_body_is_cut_in_the_message()
        {
            var error = Assert.Throws<EnosTransportException>(() => ApiEnvelope.Parse(new string('x', 5000), HttpStatusCode.OK, "code"));

            Assert.True(error.Message.Length < 400);
        }

        [Fact]
        public void The_bracketed_status_is_read_from_a_state_conflict_message()
        {
            var error = new EnosApiException(61165, "Stream processing job with status [STOPPED] cannot be started.", "r", "start pipeline 'p'");

            Assert.Equal("STOPPED", error.ReportedStatus);
            Assert.Null(new EnosApiException(61108, "Stream processing job does not exit.", null, "x").ReportedStatus);
        }
    }

    public sealed class RetryTests : IDisposable
    {
        private readonly StubGateway _gateway = new StubGateway();

        public void Dispose() => _gateway.Dispose();

        [Theory]
        [InlineData(HttpStatusCode.ServiceUnavailable)]
        [InlineData(HttpStatusCode.BadGateway)]
        [InlineData(HttpStatusCode.GatewayTimeout)]
        [InlineData((HttpStatusCode)429)]
        public async Task Transient_statuses_are_retried(HttpStatusCode status)
        {
            var calls = 0;
            _gateway.Respond = _ => ++calls < 3 ? StubGateway.Json("<html>busy</html>", status) : StubGateway.Ok("\"\"");

            await _gateway.Connect().CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1");

            Assert.Equal(3, calls);
        }

        [Fact]
        public async Task Gives_up_after_the_retry_budget_with_a_transient_error()
        {
            var options = StubGateway.FastOptions();
            options.MaxRetries = 2;
            _gateway.Respond = _ => StubGateway.Json("", HttpStatusCode.ServiceUnavailable);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.True(error.IsTransient);
            Assert.Contains("after 3 attempts", error.Message);
            Assert.Equal(3, System.Linq.Enumerable.Count(_gateway.ApiRequests));
        }

        [Fact]
        public async Task A_cut_off_answer_is_retried()
        {
            var calls = 0;
            _gateway.Respond = _ => ++calls == 1 ? StubGateway.Json("{\"code\":0,\"msg\":\"OK\",\"data\":{") : StubGateway.Ok("\"\"");

            await _gateway.Connect().CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1");

            Assert.Equal(2, calls);
        }

        [Fact]
        public async Task Json_of_another_kind_is_not_retried()
        {
            _gateway.Respond = _ => StubGateway.Json("{\"error\":\"not the API\"}");

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => _gateway.Connect().CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.Single(_gateway.ApiRequests);
        }

        [Fact]
        public async Task A_lost_answer_to_an_applied_pause_ends_as_done()
        {
            // The first answer never arrives although the service paused the pipeline; the retry
            // then hears "already paused": the first attempt did it, so it is reported as applied.
            var calls = 0;
            _gateway.Respond = _ => ++calls == 1
                ? throw new HttpRequestException("connection reset")
                : StubGateway.Error(61152, "Status of the stream processing job cannot be changed from [PAUSED] to Paused.");

            Assert.Equal(StateChange.Applied, await _gateway.Connect().CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));
            Assert.Equal(2, calls);
        }

        [Fact]
        public async Task Gives_up_within_the_time_budget()
        {
            var options = StubGateway.FastOptions();
            options.MaxRetries = 100;
            // A budget a cold first attempt (JIT, a loaded machine) cannot use up alone: 300 ms once
            // left room for only one attempt, and the test failed for a slow start, not a policy fault.
            options.InitialRetryDelay = TimeSpan.FromMilliseconds(100);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(100);
            options.Timeout = TimeSpan.FromMilliseconds(1000);
            _gateway.Respond = _ => StubGateway.Json("", HttpStatusCode.ServiceUnavailable);

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<EnosTransportException>(() => _gateway.Connect(options).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
            // Delays of 50-100 ms in a 1 s budget: a handful of attempts, nowhere near the 101 allowed.
            Assert.InRange(System.Linq.Enumerable.Count(_gateway.ApiRequests), 2, 20);
        }
    }
}
