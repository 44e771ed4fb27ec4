using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>Pipeline definitions in the client layer: kept exactly as sent, saved as documented, written to files byte-stably.</summary>
    public sealed class DefinitionTests : IDisposable
    {
        // Unusual spacing, key order, a big number and escapes: all of it must survive untouched.
        private const string ServiceJson = "{ \"zeta\" : 1.50, \"alpha\":[3,1,2], \"big\": 12345678901234567890, \"text\":\"caf\\u00e9 <b>\" }";

        private readonly StubGateway _gateway = new StubGateway();

        public void Dispose() => _gateway.Dispose();

        private StreamingClient Client() => _gateway.Connect().CreateClient();

        private static PipelineDefinition Definition(string json = "{\"b\":1,\"a\":{\"d\":2,\"c\":[1,2]}}") => new PipelineDefinition
        {
            PipelineId = "pl-1",
            Name = "wind-line-1",
            OrgId = StubGateway.OrgId,
            Description = "d",
            Version = "1.0",
            TemplateType = 1,
            TemplateName = "Origin Template",
            MessageChannel = 0,
            PipelineJson = json,
        };

        [Fact]
        public void A_definition_saved_elsewhere_keeps_its_configuration_under_the_new_identity()
        {
            var imported = new PipelineDefinition
            {
                PipelineId = "pl-test",
                OrgId = "o-test",
                Name = "wind",
                Description = "d",
                Version = "1.2",
                TemplateType = 1,
                TemplateName = "t",
                MessageChannel = 0,
                PipelineJson = "{\"a\":1}",
                Released = true,
                Path = "/defs/wind.json",
            };

            var saved = imported.SavedAs("pl-prod", "o-prod");

            Assert.Equal(("pl-prod", "o-prod", false, (string?)null), (saved.PipelineId, saved.OrgId, saved.Released, saved.Path));
            Assert.Empty(saved.ChangesFrom(imported));
            Assert.Equal(("pl-test", "o-test"), (imported.PipelineId, imported.OrgId));
        }

        [Fact]
        public async Task Details_keep_the_configuration_exactly_as_the_service_sent_it()
        {
            _gateway.Respond = _ => StubGateway.Ok("{\"pipelineId\":\"pl-1\",\"pipelineName\":\"n\",\"version\":\"2\",\"templateType\":1,\"templateName\":\"t\","
                                                   + "\"messageChannel\":1,\"desc\":\"x\",\"pipelineJson\":" + ServiceJson + "}");

            var definition = await Client().Definitions.GetAsync(StubGateway.OrgId, "pl-1");

            Assert.Equal(ServiceJson, definition.PipelineJson);
            Assert.Equal(("n", "2", 1, "t", 1, "x"), (definition.Name, definition.Version, definition.TemplateType, definition.TemplateName, definition.MessageChannel, definition.Description));
            var request = Assert.Single(_gateway.ApiRequests);
            Assert.Equal("/streaming/v2.0/streaming/pipeline/pl-1?ifReleased=false&orgId=" + StubGateway.OrgId, request.Uri.PathAndQuery);
        }

        [Fact]
        public async Task Details_given_as_a_one_element_list_are_read_the_same()
        {
            _gateway.Respond = _ => StubGateway.Ok("[{\"pipelineId\":\"pl-1\",\"pipelineName\":\"n\",\"pipelineJson\":" + ServiceJson + "}]");

            var definition = await Client().Definitions.GetAsync(StubGateway.OrgId, "pl-1", released: true);

            Assert.Equal(ServiceJson, definition.PipelineJson);
            Assert.True(definition.Released);
            Assert.Equal("true", Assert.Single(_gateway.ApiRequests).QueryValue("ifReleased"));
        }

        [Fact]
        public async Task Save_posts_the_documented_body_signed_exactly_as_sent()
        {
            _gateway.Respond = _ => StubGateway.Ok("\"pl-1\"");

            await Client().Definitions.SaveAsync(StubGateway.OrgId, "pl-1", Definition("{ \"b\" : 1 }"));

            var request = Assert.Single(_gateway.ApiRequests);
            Assert.Equal("/streaming/v2.0/streaming/pipeline/pl-1?action=save&orgId=" + StubGateway.OrgId, request.Uri.PathAndQuery);
            Assert.Equal("{\"version\":\"1.0\",\"name\":\"wind-line-1\",\"templateType\":1,\"templateName\":\"Origin Template\",\"messageChannel\":0,\"pipelineJson\":{\"b\":1}}",
                request.Body);
            var expected = Sha256(request.Headers["apim-accesstoken"] + "actionsaveorgId" + StubGateway.OrgId + request.Body
                                  + request.Headers["apim-timestamp"] + StubGateway.AppSecret);
            Assert.Equal(expected, request.Headers["apim-signature"]);
        }

        [Fact]
        public async Task Create_uses_the_id_null_and_returns_the_id_the_service_answers()
        {
            _gateway.Respond = _ => StubGateway.Ok("\"pl-new\"");

            var id = await Client().Definitions.CreateAsync(StubGateway.OrgId, new PipelineDefinition { Name = "n", PipelineJson = "{}" });

            Assert.Equal("pl-new", id);
            var request = Assert.Single(_gateway.ApiRequests);
            Assert.Equal("/streaming/v2.0/streaming/pipeline/null?action=save&orgId=" + StubGateway.OrgId, request.Uri.PathAndQuery);
            Assert.Equal("{\"name\":\"n\",\"pipelineJson\":{}}", request.Body);
        }

        [Fact]
        public async Task A_create_is_not_sent_again_after_a_failure_the_service_may_have_acted_on()
        {
            _gateway.Respond = _ => StubGateway.Json("", System.Net.HttpStatusCode.ServiceUnavailable);

            await Assert.ThrowsAsync<EnosTransportException>(() => Client().Definitions.CreateAsync(StubGateway.OrgId, new PipelineDefinition { Name = "n" }));
            Assert.Single(_gateway.ApiRequests);

            // A save of an existing pipeline can safely go again.
            await Assert.ThrowsAsync<EnosTransportException>(() => Client().Definitions.SaveAsync(StubGateway.OrgId, "pl-1", Definition()));
            Assert.True(_gateway.ApiRequests.Count() > 2);
        }

        [Fact]
        public async Task Plans_read_first_and_decide_by_id_by_name_or_to_create_sending_nothing()
        {
            // The organisation lists "wind" (pl-1) and two pipelines named "twin"; pl-1's saved design is Definition()'s.
            _gateway.Respond = r => r.Path.EndsWith("/pipelines", StringComparison.Ordinal)
                ? StubGateway.Ok("{\"count\":3,\"pipelines\":[{\"pipelineId\":\"pl-1\",\"pipelineName\":\"wind\"},"
                                 + "{\"pipelineId\":\"pl-2\",\"pipelineName\":\"twin\"},{\"pipelineId\":\"pl-3\",\"pipelineName\":\"twin\"}]}")
                : StubGateway.Ok("{\"pipelineId\":\"pl-1\",\"pipelineName\":\"wind-line-1\",\"version\":\"1.0\",\"templateType\":1,"
                                 + "\"templateName\":\"Origin Template\",\"messageChannel\":0,\"pipelineJson\":{\"a\":{\"c\":[1,2],\"d\":2},\"b\":1}}");
            var client = Client();
            var names = new PipelineNameIndex(client);
            var elsewhere = Definition();
            elsewhere.OrgId = "o-test";
            elsewhere.Name = "wind";

            var unchanged = await client.Definitions.PlanSaveAsync(StubGateway.OrgId, Definition(), names, createMissing: false);
            var byName = await client.Definitions.PlanSaveAsync(StubGateway.OrgId, elsewhere, names, createMissing: false);
            var create = await client.Definitions.PlanCreateAsync(StubGateway.OrgId, new PipelineDefinition { Name = "new" }, names);
            var taken = await client.Definitions.PlanCreateAsync(StubGateway.OrgId, new PipelineDefinition { Name = "twin" }, names);

            Assert.Equal((SaveDecision.Unchanged, "pl-1", false), (unchanged.Decision, unchanged.PipelineId, unchanged.MatchedByName));
            Assert.Equal((SaveDecision.Save, "pl-1", true), (byName.Decision, byName.PipelineId, byName.MatchedByName));
            Assert.Equal(new[] { "name" }, byName.Changes);
            Assert.Equal((SaveDecision.Create, (string?)null), (create.Decision, create.PipelineId));
            Assert.Equal(SaveDecision.Refuse, taken.Decision);
            Assert.Equal(new[] { "pl-2", "pl-3" }, Assert.IsType<PipelineNameException>(taken.Refusal).Matches);
            Assert.DoesNotContain(_gateway.ApiRequests, r => r.Method == "POST");
        }

        [Fact]
        public async Task A_configuration_that_is_not_a_JSON_object_is_refused_before_anything_is_sent()
        {
            var exception = await Assert.ThrowsAsync<ArgumentException>(() => Client().Definitions.SaveAsync(StubGateway.OrgId, "pl-1", Definition("[1]")));

            Assert.Contains("PipelineJson is a JSON array, not an object", exception.Message);
            Assert.Empty(_gateway.ApiRequests);
        }

        [Fact]
        public void The_file_is_canonical_keys_sorted_LF_no_BOM_and_the_same_bytes_for_the_same_definition()
        {
            var bytes = PipelineDefinitionFile.ToBytes(Definition(ServiceJson));
            var reordered = PipelineDefinitionFile.ToBytes(Definition("{\"text\":\"caf\\u00e9 <b>\",\"big\":12345678901234567890,\"alpha\":[3,1,2],\"zeta\":1.50}"));

            Assert.Equal(bytes, reordered);
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Equal('{', text[0]);
            Assert.DoesNotContain("\r", text);
            Assert.EndsWith("}\n", text);
            Assert.Contains("\"alpha\": [\n      3,\n      1,\n      2\n    ],\n    \"big\": 12345678901234567890,\n    \"text\": \"café <b>\",\n    \"zeta\": 1.50\n", text);
            Assert.True(text.IndexOf("\"name\"", StringComparison.Ordinal) < text.IndexOf("\"pipelineJson\"", StringComparison.Ordinal));
        }

        [Fact]
        public void A_file_read_back_and_written_again_is_byte_for_byte_the_same()
        {
            var bytes = PipelineDefinitionFile.ToBytes(Definition(ServiceJson));

            var read = PipelineDefinitionFile.Read(bytes, "x.json");

            Assert.Equal(bytes, PipelineDefinitionFile.ToBytes(read));
            Assert.Equal(("wind-line-1", "pl-1", "x.json"), (read.Name, read.PipelineId, read.Path));
            Assert.Empty(read.ChangesFrom(Definition(ServiceJson)));
        }

        [Theory]
        [InlineData("{\"name\":\"a\",\"pipelineJson\":{", "it is not valid JSON (line 1, position")]
        [InlineData("\"text\"", "it holds a JSON string, not a pipeline definition")]
        [InlineData("{\"pipelineJson\":{}}", "it has no \"name\"")]
        [InlineData("{\"name\":\"a\"}", "it has no \"pipelineJson\"")]
        [InlineData("{\"name\":\"a\",\"pipelineJson\":{},\"templateType\":\"1\"}", "its \"templateType\" is a JSON string; it must be a whole number")]
        [InlineData("{\"name\":\"a\",\"pipelineJson\":{},\"extra\":1}", "the field \"extra\", which a pipeline definition does not have")]
        public void A_file_that_is_not_a_definition_says_what_is_wrong(string content, string expected)
        {
            var exception = Assert.Throws<FormatException>(() => PipelineDefinitionFile.Read(Encoding.UTF8.GetBytes(content), "x.json"));

            Assert.Contains(expected, exception.Message);
        }

        [Fact]
        public void Changes_compare_the_configuration_as_JSON_and_ignore_what_the_definition_leaves_out()
        {
            var saved = Definition("{\"b\":1,\"a\":2}");

            Assert.Empty(new PipelineDefinition { Name = "wind-line-1", PipelineJson = "{ \"a\": 2, \"b\": 1 }" }.ChangesFrom(saved));
            Assert.Equal(new[] { "version", "pipelineJson" },
                new PipelineDefinition { Version = "2.0", PipelineJson = "{\"a\":3,\"b\":1}", Description = "other" }.ChangesFrom(saved));
        }

        [Theory]
        [InlineData("wind/line:1", false, "wind_line_1.json")]
        [InlineData("CON", false, "_CON.json")]
        [InlineData("风电-1", false, "风电-1.json")]
        [InlineData("twin", true, "twin.pl-1.json")]
        public void File_names_follow_the_pipeline_name_and_are_safe_everywhere(string name, bool withId, string expected)
        {
            Assert.Equal(expected, PipelineDefinitionFile.FileName(new PipelineDefinition { PipelineId = "pl-1", Name = name }, withId));
        }

        private static string Sha256(string text)
        {
            return string.Concat(SHA256.HashData(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }
    }
}
