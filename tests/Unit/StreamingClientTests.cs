using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using EnOS.Streaming.Model;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public sealed class StreamingClientTests : IDisposable
    {
        private readonly StubGateway _gateway = new StubGateway();

        public void Dispose() => _gateway.Dispose();

        private StreamingClient Client() => _gateway.Connect().CreateClient();

        [Fact]
        public async Task Pause_posts_the_documented_request_with_a_valid_signature()
        {
            var change = await Client().PausePipelineAsync(StubGateway.OrgId, "pl-0001");

            Assert.Equal(StateChange.Applied, change);
            var request = Assert.Single(_gateway.ApiRequests);
            Assert.Equal("POST", request.Method);
            Assert.Equal("https://gateway.test/streaming/v2.0/streaming/pipeline/pl-0001?action=pause&orgId=o15500000000001", request.Uri.AbsoluteUri);
            Assert.Equal("application/json;charset=UTF-8", request.ContentType);
            Assert.Equal("", request.Body);

            // Recompute the signature independently from what went on the wire.
            var token = request.Headers["apim-accesstoken"];
            var timestamp = request.Headers["apim-timestamp"];
            var expected = Sha256($"{token}actionpauseorgId{StubGateway.OrgId}{timestamp}{StubGateway.AppSecret}");
            Assert.Equal(expected, request.Headers["apim-signature"]);
            Assert.Equal("token-1", token);
        }

        [Fact]
        public async Task Start_signs_the_body_exactly_as_sent()
        {
            await Client().StartPipelineAsync(StubGateway.OrgId, "pl-1", new StartPipelineRequest { ExecutionMode = ExecutionMode.Cluster, KafkaRate = 500 });

            var request = Assert.Single(_gateway.ApiRequests);
            Assert.Equal("{\"executionMode\":1,\"kafkaRate\":500}", request.Body);
            var expected = Sha256(request.Headers["apim-accesstoken"] + "actionstartorgId" + StubGateway.OrgId + request.Body
                                  + request.Headers["apim-timestamp"] + StubGateway.AppSecret);
            Assert.Equal(expected, request.Headers["apim-signature"]);
        }

        [Theory]
        [InlineData("../x", "/streaming/v2.0/streaming/pipeline/..%2Fx")]
        [InlineData("a?b", "/streaming/v2.0/streaming/pipeline/a%3Fb")]
        [InlineData("a#b", "/streaming/v2.0/streaming/pipeline/a%23b")]
        [InlineData("%2e%2e", "/streaming/v2.0/streaming/pipeline/%252e%252e")]
        [InlineData("a/b/c", "/streaming/v2.0/streaming/pipeline/a%2Fb%2Fc")]
        [InlineData("wind line", "/streaming/v2.0/streaming/pipeline/wind%20line")]
        public async Task An_id_is_always_exactly_one_path_segment(string id, string expectedPath)
        {
            await Client().PausePipelineAsync(StubGateway.OrgId, id);

            var request = Assert.Single(_gateway.ApiRequests);
            Assert.Equal(expectedPath, request.Path);
            Assert.Equal(new[] { "action", "orgId" }, request.Query.Select(p => p.Key));
            Assert.Equal("pause", request.QueryValue("action"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(".")]
        [InlineData("..")]
        [InlineData("a\nb")]
        public async Task An_unusable_id_is_refused_before_anything_is_sent(string id)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Client().PausePipelineAsync(StubGateway.OrgId, id));
            Assert.Empty(_gateway.Requests);
        }

        [Fact]
        public async Task An_org_id_with_reserved_characters_is_escaped_in_the_query_and_signed_decoded()
        {
            await Client().PausePipelineAsync("o1&action=stop", "pl-1");

            var request = Assert.Single(_gateway.ApiRequests);
            Assert.Equal("?action=pause&orgId=o1%26action%3Dstop", request.Uri.Query);
            var expected = Sha256(request.Headers["apim-accesstoken"] + "actionpauseorgIdo1&action=stop" + request.Headers["apim-timestamp"] + StubGateway.AppSecret);
            Assert.Equal(expected, request.Headers["apim-signature"]);
        }

        [Fact]
        public async Task Already_paused_is_the_desired_state_not_an_error()
        {
            _gateway.Respond = _ => StubGateway.Error(61152, "Status of the stream processing job cannot be changed from [PAUSED] to Paused.");

            Assert.Equal(StateChange.AlreadyInState, await Client().PausePipelineAsync(StubGateway.OrgId, "pl-1"));
        }

        [Fact]
        public async Task Pausing_a_stopped_pipeline_fails_with_the_code_and_the_current_status()
        {
            _gateway.Respond = _ => StubGateway.Error(61152, "Status of the stream processing job cannot be changed from [STOPPED] to Paused.");

            var error = await Assert.ThrowsAsync<EnosApiException>(() => Client().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(61152, error.Code);
            Assert.Equal("STOPPED", error.ReportedStatus);
            Assert.Equal("req-61152", error.RequestId);
            Assert.Single(_gateway.ApiRequests); // an API answer is never retried
        }

        [Fact]
        public async Task An_unknown_pipeline_fails_with_61108()
        {
            _gateway.Respond = _ => StubGateway.Error(61108, "Stream processing job does not exit.");

            var error = await Assert.ThrowsAsync<EnosApiException>(() => Client().PausePipelineAsync(StubGateway.OrgId, "nope"));

            Assert.Equal(EnosErrorCodes.PipelineNotFound, error.Code);
            Assert.Contains("pause pipeline 'nope'", error.Message);
        }

        [Fact]
        public async Task Already_running_is_the_desired_state_of_a_start()
        {
            _gateway.Respond = _ => StubGateway.Error(61165, "Stream processing job with status [RUNNING] cannot be started.");

            Assert.Equal(StateChange.AlreadyInState, await Client().StartPipelineAsync(StubGateway.OrgId, "pl-1", new StartPipelineRequest()));
        }

        [Fact]
        public async Task A_start_whose_answer_was_lost_and_whose_retry_says_already_running_is_reported_as_started()
        {
            var calls = 0;
            _gateway.Respond = _ => ++calls == 1
                ? throw new HttpRequestException("The connection dropped.", new IOException("Connection reset by peer"))
                : StubGateway.Error(61165, "Stream processing job with status [RUNNING] cannot be started.");

            Assert.Equal(StateChange.Applied, await Client().StartPipelineAsync(StubGateway.OrgId, "pl-1", new StartPipelineRequest()));
            Assert.Equal(2, calls);
        }

        [Fact]
        public async Task A_pause_whose_answer_was_lost_and_whose_retry_is_refused_may_have_changed_something()
        {
            var calls = 0;
            _gateway.Respond = _ => ++calls == 1
                ? throw new HttpRequestException("The connection dropped.", new IOException("Connection reset by peer"))
                : StubGateway.Json("{\"code\":61100,\"msg\":\"Internal error\",\"requestId\":\"r\",\"data\":null}", HttpStatusCode.InternalServerError);

            var error = await Assert.ThrowsAsync<EnosApiException>(() => Client().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(61100, error.Code);
            Assert.Equal(RequestOutcome.MayHaveApplied, error.Outcome);
            Assert.False(error.ChangedNothing);
        }

        [Fact]
        public async Task A_refusal_at_the_first_attempt_changed_nothing()
        {
            _gateway.Respond = _ => StubGateway.Error(61100, "Internal error");

            var error = await Assert.ThrowsAsync<EnosApiException>(() => Client().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.True(error.ChangedNothing);
        }

        [Fact]
        public async Task A_start_that_meets_another_start_in_progress_is_tried_again()
        {
            var calls = 0;
            _gateway.Respond = _ => ++calls <= 2
                ? StubGateway.Error(61121, "Another user in the organization is starting a stream processing job. Please try again later.")
                : StubGateway.Ok("\"\"");

            Assert.Equal(StateChange.Applied, await Client().StartPipelineAsync(StubGateway.OrgId, "pl-1", new StartPipelineRequest()));
            Assert.Equal(3, calls);
        }

        [Fact]
        public async Task A_start_that_keeps_meeting_61121_waits_until_the_time_budget_not_the_retry_budget()
        {
            _gateway.Respond = _ => StubGateway.Error(61121, "Another user in the organization is starting a stream processing job.");
            var options = StubGateway.FastOptions();
            options.MaxRetries = 1;
            options.Timeout = TimeSpan.FromMilliseconds(600);
            options.StartRetryDelay = TimeSpan.FromMilliseconds(20);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(options).CreateClient().StartPipelineAsync(StubGateway.OrgId, "pl-1", new StartPipelineRequest()));

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.Contains("61121", error.Message);
            Assert.True(_gateway.ApiRequests.Count() > 1 + options.MaxRetries, "61121 is waited out within -TimeoutSec, not counted against -MaxRetries");
        }

        [Fact]
        public async Task Busy_answers_do_not_spend_the_retry_budget()
        {
            var calls = 0;
            _gateway.Respond = _ => ++calls switch
            {
                4 => StubGateway.Json("", System.Net.HttpStatusCode.ServiceUnavailable),
                5 => StubGateway.Ok("\"\""),
                _ => StubGateway.Error(61121, "Another user in the organization is starting a stream processing job."),
            };
            var options = StubGateway.FastOptions();
            options.MaxRetries = 1;
            options.StartRetryDelay = TimeSpan.FromMilliseconds(5);

            Assert.Equal(StateChange.Applied,
                await _gateway.Connect(options).CreateClient().StartPipelineAsync(StubGateway.OrgId, "pl-1", new StartPipelineRequest()));
            Assert.Equal(5, calls);
        }

        [Fact]
        public async Task An_expired_token_is_renewed_once_and_the_call_retried()
        {
            var calls = 0;
            _gateway.Respond = _ => ++calls == 1 ? StubGateway.Error(1203, "access token expired") : StubGateway.Ok("\"\"");

            Assert.Equal(StateChange.Applied, await Client().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            var requests = _gateway.ApiRequests.ToList();
            Assert.Equal(2, requests.Count);
            Assert.Equal("token-1", requests[0].Headers["apim-accesstoken"]);
            Assert.Equal("token-2", requests[1].Headers["apim-accesstoken"]);
        }

        [Fact]
        public async Task A_second_1203_is_reported_not_looped_on()
        {
            _gateway.Respond = _ => StubGateway.Error(1203, "access token expired");

            var error = await Assert.ThrowsAsync<EnosApiException>(() => Client().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(1203, error.Code);
            Assert.Equal(2, _gateway.ApiRequests.Count());
        }

        [Fact]
        public async Task Concurrent_calls_share_one_token()
        {
            var client = Client();
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.PausePipelineAsync(StubGateway.OrgId, "pl-" + i)));

            Assert.Equal(1, _gateway.TokensIssued);
        }

        [Fact]
        public async Task Details_tolerate_missing_and_unknown_fields()
        {
            _gateway.Respond = _ => StubGateway.Json("{\"code\":0,\"msg\":\"OK\",\"data\":{\"pipelineId\":\"pl-1\",\"pipelineName\":\"wind\",\"templateType\":\"2\",\"brandNew\":{\"x\":1},},}");

            var details = await Client().GetPipelineAsync(StubGateway.OrgId, "pl-1");

            Assert.Equal("wind", details.Name);
            Assert.Equal(2, details.TemplateType);
            Assert.Null(details.Version);
        }

        [Fact]
        public async Task Offset_and_lag_come_back_one_object_per_partition()
        {
            _gateway.Respond = _ => StubGateway.Ok("{\"pipelineId\":\"pl-1\",\"topicName\":\"t1\",\"lagAndOffset\":[{\"lag\":5,\"offset\":100,\"ts\":1700000000000},{\"lag\":0,\"offset\":7}]}");

            var lag = await Client().GetOffsetLagAsync(StubGateway.OrgId, "pl-1");

            Assert.Equal(2, lag.Count);
            Assert.Equal((0, 5L, 100L), (lag[0].Partition, lag[0].Lag!.Value, lag[0].Offset!.Value));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), lag[0].Time);
            Assert.Equal(("t1", 1, (long?)null), (lag[1].TopicName, lag[1].Partition, lag[1].Ts));
        }

        [Fact]
        public async Task A_success_without_data_is_tolerated()
        {
            _gateway.Respond = _ => StubGateway.Json("{\"code\":0,\"msg\":\"OK\",}");

            Assert.Equal(StateChange.Applied, await Client().StopPipelineAsync(StubGateway.OrgId, "pl-1"));
        }

        private static string Sha256(string text) =>
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }
}
