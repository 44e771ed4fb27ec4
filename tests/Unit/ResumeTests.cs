using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public class ResumeTests
    {
        private readonly StubGateway _gateway = new StubGateway();

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
    }
}
