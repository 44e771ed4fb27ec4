using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using EnOS.Streaming.Model;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public sealed class ResumeTests : IDisposable
    {
        private readonly StubGateway _gateway = new StubGateway();

        public void Dispose() => _gateway.Dispose();

        public ResumeTests()
        {
            // pl-p paused in cluster mode, pl-r running, pl-s stopped.
            _gateway.Respond = r => r.Method == "GET"
                ? StubGateway.Ok("{\"count\":3,\"pipelines\":["
                                 + "{\"pipelineId\":\"pl-p\",\"status\":\"PAUSED\",\"executionMode\":1},"
                                 + "{\"pipelineId\":\"pl-r\",\"status\":\"RUNNING\",\"executionMode\":0},"
                                 + "{\"pipelineId\":\"pl-s\",\"status\":\"STOPPED\",\"executionMode\":0}]}")
                : StubGateway.Ok("\"\"");
        }

        private (StreamingClient Client, PipelineDirectory Directory) Create()
        {
            var client = _gateway.Connect().CreateClient();
            return (client, new PipelineDirectory(client));
        }

        [Fact]
        public async Task A_paused_pipeline_is_started_in_its_own_execution_mode()
        {
            var (client, directory) = Create();

            Assert.Equal(StateChange.Applied, await client.ResumePipelineAsync(StubGateway.OrgId, "pl-p", 500, directory));

            var post = Assert.Single(_gateway.ApiRequests, r => r.Method == "POST");
            Assert.Equal("start", post.QueryValue("action"));
            Assert.Equal("{\"executionMode\":1,\"kafkaRate\":500}", post.Body);
        }

        [Fact]
        public async Task A_running_pipeline_is_done_without_a_request()
        {
            var (client, directory) = Create();

            Assert.Equal(StateChange.AlreadyInState, await client.ResumePipelineAsync(StubGateway.OrgId, "pl-r", 1000, directory));
            Assert.DoesNotContain(_gateway.ApiRequests, r => r.Method == "POST");
        }

        [Fact]
        public async Task A_stopped_pipeline_is_refused_without_a_request()
        {
            var (client, directory) = Create();

            var error = await Assert.ThrowsAsync<PipelineStateConflictException>(() => client.ResumePipelineAsync(StubGateway.OrgId, "pl-s", 1000, directory));

            Assert.Equal("STOPPED", error.CurrentStatus);
            Assert.DoesNotContain(_gateway.ApiRequests, r => r.Method == "POST");
        }

        [Fact]
        public async Task One_listing_serves_every_pipeline_of_a_command()
        {
            var (client, directory) = Create();

            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.ResumePipelineAsync(StubGateway.OrgId, "pl-p", 1000, directory)));

            Assert.Single(_gateway.ApiRequests, r => r.Method == "GET");
        }

        [Theory]
        [InlineData("FAILED")]
        [InlineData("STOPPING")]
        [InlineData("PUBLISHED")]
        [InlineData("SOMETHING_NEW")]
        public async Task Any_status_but_paused_or_running_is_refused_naming_it_without_a_request(string status)
        {
            _gateway.Respond = r => r.Method == "GET"
                ? StubGateway.Ok($"{{\"count\":1,\"pipelines\":[{{\"pipelineId\":\"pl-x\",\"status\":\"{status}\",\"executionMode\":0}}]}}")
                : StubGateway.Ok("\"\"");
            var (client, directory) = Create();

            var error = await Assert.ThrowsAsync<PipelineStateConflictException>(() => client.ResumePipelineAsync(StubGateway.OrgId, "pl-x", 1000, directory));

            Assert.Equal(status, error.CurrentStatus);
            Assert.Contains(status, error.Message);
            Assert.DoesNotContain(_gateway.ApiRequests, r => r.Method == "POST");
        }

        [Fact]
        public async Task A_pipeline_the_listing_does_not_have_is_refused_without_a_request()
        {
            var (client, directory) = Create();

            await Assert.ThrowsAsync<PipelineNotListedException>(() => client.ResumePipelineAsync(StubGateway.OrgId, "pl-gone", 1000, directory));

            Assert.DoesNotContain(_gateway.ApiRequests, r => r.Method == "POST");
        }

        [Fact]
        public async Task A_status_older_than_thirty_seconds_is_read_again()
        {
            var now = new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);
            var client = _gateway.Connect().CreateClient();
            var directory = new PipelineDirectory(client, () => now);
            Assert.Equal(StateChange.Applied, await client.ResumePipelineAsync(StubGateway.OrgId, "pl-p", 1000, directory));

            // Another client stops pl-p after this command's listing.
            _gateway.Respond = r => r.Method == "GET"
                ? StubGateway.Ok("{\"count\":1,\"pipelines\":[{\"pipelineId\":\"pl-p\",\"status\":\"STOPPED\",\"executionMode\":1}]}")
                : StubGateway.Ok("\"\"");
            now += TimeSpan.FromSeconds(20);
            Assert.Equal(StateChange.Applied, await client.ResumePipelineAsync(StubGateway.OrgId, "pl-p", 1000, directory)); // still fresh
            now += TimeSpan.FromSeconds(11);

            var error = await Assert.ThrowsAsync<PipelineStateConflictException>(() => client.ResumePipelineAsync(StubGateway.OrgId, "pl-p", 1000, directory));

            Assert.Equal("STOPPED", error.CurrentStatus);
            Assert.Equal(2, _gateway.ApiRequests.Count(r => r.Method == "GET"));
            Assert.Equal(2, _gateway.ApiRequests.Count(r => r.Method == "POST"));
        }

        [Fact]
        public async Task Finding_a_few_pipelines_reads_only_the_pages_that_hold_them()
        {
            // 50 pages of 200: pl-0..pl-9999.
            _gateway.Respond = r =>
            {
                if (r.Method != "GET")
                {
                    return StubGateway.Ok("\"\"");
                }

                var pageNo = int.Parse(r.QueryValue("pageNo")!, CultureInfo.InvariantCulture);
                var size = int.Parse(r.QueryValue("pageSize")!, CultureInfo.InvariantCulture);
                var items = Enumerable.Range((pageNo - 1) * size, size).Where(i => i < 10_000)
                    .Select(i => $"{{\"pipelineId\":\"pl-{i}\",\"status\":\"PAUSED\",\"executionMode\":0}}");
                return StubGateway.Ok($"{{\"count\":10000,\"pipelines\":[{string.Join(",", items)}]}}");
            };
            var (client, directory) = Create();

            await client.ResumePipelineAsync(StubGateway.OrgId, "pl-3", 1000, directory);
            await client.ResumePipelineAsync(StubGateway.OrgId, "pl-450", 1000, directory);

            Assert.Equal(new[] { "1", "2", "3" }, _gateway.ApiRequests.Where(r => r.Method == "GET").Select(r => r.QueryValue("pageNo")));
        }

        [Fact]
        public async Task The_plan_says_what_a_resume_would_do_and_sends_nothing()
        {
            var (client, directory) = Create();

            var paused = await client.PlanResumeAsync(StubGateway.OrgId, "pl-p", directory);
            var running = await client.PlanResumeAsync(StubGateway.OrgId, "pl-r", directory);
            var stopped = await client.PlanResumeAsync(StubGateway.OrgId, "pl-s", directory);

            Assert.Equal((ResumeDecision.Resume, ExecutionMode.Cluster), (paused.Decision, paused.ExecutionMode));
            Assert.Contains("would resume", paused.Explain());
            Assert.Equal(ResumeDecision.AlreadyRunning, running.Decision);
            Assert.Equal(ResumeDecision.Refuse, stopped.Decision);
            Assert.Contains("STOPPED", stopped.Explain());
            Assert.DoesNotContain(_gateway.ApiRequests, r => r.Method == "POST");
        }

        [Fact]
        public async Task An_execution_mode_given_by_the_caller_wins()
        {
            var (client, directory) = Create();

            await client.ResumePipelineAsync(StubGateway.OrgId, "pl-p", 1000, directory, executionMode: ExecutionMode.Standalone);

            Assert.Equal("{\"executionMode\":0,\"kafkaRate\":1000}", Assert.Single(_gateway.ApiRequests, r => r.Method == "POST").Body);
        }

        [Fact]
        public async Task A_listing_that_ended_early_proves_no_absence()
        {
            // Every page is the same page under a count of 1000: the listing stops at page 2.
            _gateway.Respond = r => r.Method == "GET"
                ? StubGateway.Ok("{\"count\":1000,\"pipelines\":[{\"pipelineId\":\"pl-p\",\"status\":\"PAUSED\",\"executionMode\":1}]}")
                : StubGateway.Ok("\"\"");
            var (client, directory) = Create();

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => client.ResumePipelineAsync(StubGateway.OrgId, "pl-elsewhere", 1000, directory));

            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.Equal(2, _gateway.ApiRequests.Count(r => r.Method == "GET"));
            Assert.DoesNotContain(_gateway.ApiRequests, r => r.Method == "POST");
        }
    }
}
