using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using EnOS.Streaming.Model;
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
            var names = new PipelineDirectory(client);
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
        public void A_configuration_as_deep_as_is_read_is_written_to_the_save_body_and_the_file()
        {
            // 64 levels, the most PipelineConfiguration reads; the body and the file add one around it.
            var deep = Definition(string.Concat(Enumerable.Repeat("{\"a\":", 63)) + "{}" + new string('}', 63));

            Assert.Contains("\"pipelineJson\":{\"a\":{\"a\":", RequestBodies.Save(deep));
            Assert.Contains("\"pipelineJson\": {\n    \"a\": {", Encoding.UTF8.GetString(PipelineDefinitionFile.ToBytes(deep)));
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
        [InlineData("{\"name\":\"a\",\"pipelineJson\":{},\"templateType\":99999999999999999999}", "its \"templateType\" is 99999999999999999999; it must be a whole number from -2147483648 to 2147483647")]
        [InlineData("{\"name\":\"a\",\"pipelineJson\":{},\"messageChannel\":1.5}", "its \"messageChannel\" is not a whole number; it must be a whole number")]
        [InlineData("{\"name\":\"a\",\"pipelineJson\":" + Deep + "}", "it is nested more than 64 levels deep (line 1, position")]
        [InlineData("{\"name\":\"a\",\"pipelineJson\":{},\"extra\":1}", "the field \"extra\", which a pipeline definition does not have")]
        [InlineData("{\"name\":\"a\",\"name\":\"b\",\"pipelineJson\":{}}", "it has the key \"name\" twice in one object (line 1, position 13)")]
        [InlineData("{\"name\":\"a\",\"pipelineJson\":{\"k\":[{\"x\":1},{\"x\":1,\n\"x\":2}]}}", "it has the key \"x\" twice in one object (line 2, position 1)")]
        [InlineData("{\"name\":\"a\\ud800\",\"pipelineJson\":{}}", "it has a lone surrogate (a \\uD800-\\uDFFF escape without its partner) in a string (line 1, position 9)")]
        [InlineData("{\"name\":\"a\",\"pipelineJson\":{\"\\udfff\":1}}", "it has a lone surrogate")]
        public void A_file_that_is_not_a_definition_says_what_is_wrong(string content, string expected)
        {
            var exception = Assert.Throws<FormatException>(() => PipelineDefinitionFile.Read(Encoding.UTF8.GetBytes(content), "x.json"));

            Assert.Contains(expected, exception.Message);
        }

        /// <summary>Valid JSON, 70 objects deep.</summary>
        private const string Deep = "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
            + "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
            + "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
            + "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}";

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

        [Fact]
        public void A_name_too_long_for_a_file_name_is_cut_short_at_a_whole_character_and_gets_the_id()
        {
            // 240 ASCII letters fit (245 bytes) without the id; 260, 90 three-byte characters and 70 four-byte ones do not.
            var names = new[] { new string('a', 240), new string('b', 260), new string('\u4e2d', 90), string.Concat(Enumerable.Repeat("\ud83d\ude00", 70)), new string('c', 241) + "." + new string('x', 20) };

            var files = names.Select(name => PipelineDefinitionFile.FileName(new PipelineDefinition { PipelineId = "pl-0001", Name = name }, withId: false)).ToList();

            Assert.Equal(new string('a', 240) + ".json", files[0]);
            Assert.All(files.Skip(1), file => Assert.EndsWith(".pl-0001.json", file, StringComparison.Ordinal));
            Assert.All(files, file => Assert.InRange(Encoding.UTF8.GetByteCount(file), 1, PipelineDefinitionFile.MaxFileNameBytes));
            Assert.All(files, file => Assert.Equal(file, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(file))));
            // Cut after the dot, which Windows would drop: the dot goes.
            Assert.Equal(new string('c', 241) + ".pl-0001.json", files[4]);
        }

        [Fact]
        public void File_names_of_one_export_are_distinct_by_construction_whatever_the_names()
        {
            // Names built to collide: the same, by case, by mapping, by Unicode form, reserved, and names that are another's name plus an id.
            var parts = new[] { "x", "X", ".pl-0001", ".pl-0002", ":", "?", "CON", "con", "caf\u00e9", "cafe\u0301", " ", "." };
            var random = new Random(19);
            var definitions = Enumerable.Range(1, 3000).Select(i => new PipelineDefinition
            {
                PipelineId = string.Create(CultureInfo.InvariantCulture, $"pl-{i:D4}"),
                Name = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => parts[random.Next(parts.Length)])),
            }).ToList();

            var names = PipelineDefinitionFile.FileNames(definitions);

            Assert.All(names, name => Assert.NotNull(name));
            Assert.Equal(definitions.Count, names.Select(n => n!.Normalize(NormalizationForm.FormC)).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Equal("x.json", PipelineDefinitionFile.FileNames(new[] { new PipelineDefinition { PipelineId = "pl-1", Name = "x" } })[0]);
        }

        [Fact]
        public void The_same_pipeline_twice_in_one_export_has_no_file_of_its_own()
        {
            var names = PipelineDefinitionFile.FileNames(new[]
            {
                new PipelineDefinition { PipelineId = "pl-1", Name = "a" },
                new PipelineDefinition { PipelineId = "pl-1", Name = "a" },
                new PipelineDefinition { PipelineId = "pl-2", Name = "a" },
                new PipelineDefinition { Name = "b" },
                new PipelineDefinition { Name = "B" },
            });

            Assert.Equal(new[] { null, null, "a.pl-2.json", null, null }, names);
        }

        [Fact]
        public async Task A_definition_found_by_id_must_have_the_pipelines_name_there_and_a_deleted_one_is_refused()
        {
            // pl-1 is "wind-line-1"; "wind-line-2" is pl-2's name; pl-9 does not exist.
            _gateway.Respond = r => r.Path.EndsWith("/pipelines", StringComparison.Ordinal)
                ? StubGateway.Ok("{\"count\":2,\"pipelines\":[{\"pipelineId\":\"pl-1\",\"pipelineName\":\"wind-line-1\"},{\"pipelineId\":\"pl-2\",\"pipelineName\":\"wind-line-2\"}]}")
                : r.Path.EndsWith("/pl-9", StringComparison.Ordinal)
                    ? StubGateway.Error(61108, "pipeline not found")
                    : StubGateway.Ok("{\"pipelineId\":\"pl-1\",\"pipelineName\":\"wind-line-1\",\"pipelineJson\":{}}");
            var client = Client();
            var names = new PipelineDirectory(client);
            var edited = new PipelineDefinition { PipelineId = "pl-1", Name = "wind-line-2", PipelineJson = "{}" };

            var refused = await client.Definitions.PlanSaveAsync(StubGateway.OrgId, edited, names, createMissing: false);
            var forced = await client.Definitions.PlanSaveAsync(StubGateway.OrgId, edited, names, createMissing: false, allowRename: true);
            var gone = await client.Definitions.PlanSaveAsync(StubGateway.OrgId, new PipelineDefinition { PipelineId = "pl-9", Name = "x", PipelineJson = "{}" }, names, createMissing: true);

            var mismatch = Assert.IsType<DefinitionMismatchException>(refused.Refusal);
            Assert.Equal((SaveDecision.Refuse, "wind-line-1", "pl-2"), (refused.Decision, mismatch.SavedName, string.Join(",", mismatch.NameHolders)));
            Assert.Equal((SaveDecision.Save, "name"), (forced.Decision, string.Join(",", forced.Changes)));
            Assert.Equal((SaveDecision.Refuse, (string?)null), (gone.Decision, Assert.IsType<DefinitionMismatchException>(gone.Refusal).SavedName));
            Assert.True(gone.Refusal!.Message.Contains("has no pipeline 'pl-9'", StringComparison.Ordinal));
            Assert.DoesNotContain(_gateway.ApiRequests, r => r.Method == "POST");
        }

        private static string Sha256(string text)
        {
            return string.Concat(SHA256.HashData(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }
    }
}
