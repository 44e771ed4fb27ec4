using System;
using System.IO;
using System.Reflection;
using System.Threading.Tasks;
using EnOS.Streaming.Loading;
using EnOS.Streaming.Model;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>Input that deceives is refused, names are shown escaped, connections outlive their users.</summary>
    public class InputValidationTests
    {
        [Theory]
        [InlineData("wind-line-1\u202E3-enil", "wind-line-1\\u202E3-enil")]
        [InlineData("a\u200Bb", "a\\u200Bb")]
        [InlineData("\uFEFFpl-1", "\\uFEFFpl-1")]
        [InlineData("bell\u0007", "bell\\u0007")]
        [InlineData("line\u2028two", "line\\u2028two")]
        [InlineData("tag\U000E0041", "tag\\U000E0041")]
        [InlineData("plain wind-line-3", "plain wind-line-3")]
        [InlineData("wind \U0001F32C line", "wind \U0001F32C line")]
        [InlineData("Windpark Nord – Ä", "Windpark Nord – Ä")]
        public void Hidden_characters_are_shown_escaped_and_nothing_else_changes(string text, string shown)
        {
            Assert.Equal(shown, DisplayText.Escape(text));
        }

        [Fact]
        public void Lone_surrogates_are_shown_escaped_and_refused_in_ids()
        {
            // Built here: xunit's theory data would turn a lone surrogate into U+FFFD on the way.
            var high = new string(new[] { 'a', (char)0xD800, 'b' });
            var low = new string(new[] { 'a', (char)0xDC00 });

            Assert.Equal("a\\uD800b", DisplayText.Escape(high));
            Assert.Equal("a\\uDC00", DisplayText.Escape(low));
            Assert.Contains("U+D800", PipelineIds.Problem(high));
            Assert.NotNull(PipelineIds.OrgIdProblem(low));
        }

        [Fact]
        public void A_description_cannot_pass_for_another_pipeline()
        {
            Assert.Equal("pipeline 'wind\\u202E3-enil' (pl-0001)", Pipeline.Describe("pl-0001", "wind\u202E3-enil"));
            // A quote in the name is doubled, as in a PowerShell string, so it cannot close the name early.
            Assert.Equal("pipeline 'x'' (pl-0002)' (pl-0001)", Pipeline.Describe("pl-0001", "x' (pl-0002)"));
            Assert.Equal("pipeline 'pl-0001'", Pipeline.Describe("pl-0001", null));
        }

        [Theory]
        [InlineData("pl-0001\u202E")]
        [InlineData("pl\u200B0001")]
        [InlineData("\uFEFFpl-0001")]
        [InlineData("pl-\U000E0041")]
        [InlineData("pl\u2029")]
        public void Ids_with_invisible_or_bidi_characters_are_refused(string id)
        {
            var problem = PipelineIds.Problem(id);
            Assert.NotNull(problem);
            Assert.Contains("invisible or text-direction character U+", problem);
            Assert.NotNull(PipelineIds.OrgIdProblem(id));
        }

        [Fact]
        public void Control_characters_are_still_named_as_such_and_other_scripts_pass()
        {
            Assert.Contains("control character U+0007", PipelineIds.Problem("pl\u0007"));
            Assert.Null(PipelineIds.Problem("wind-\U0001F32C-Ä"));
            Assert.Null(PipelineIds.OrgIdProblem("o15500000000001"));
        }

        // What .NET Framework does without a target framework (Windows PowerShell 5.1): %2F and %5C
        // in the path are unescaped, then dot segments removed and trailing dots of segments trimmed.
        private static Uri LegacyFrameworkUri(string text)
        {
            var queryStart = text.IndexOf('?');
            var path = queryStart < 0 ? text : text.Substring(0, queryStart);
            var query = queryStart < 0 ? string.Empty : text.Substring(queryStart);
            path = path.Replace("%2F", "/").Replace("%5C", "/").Replace("./", "/");
            return new Uri(path + query.Replace("%26", "&"));
        }

        [Theory]
        [InlineData("a/b")]
        [InlineData("../x")]
        [InlineData("a\\b")]
        [InlineData("trailing.")]
        public void Ids_that_NET_Framework_would_rewrite_are_found(string id)
        {
            Assert.False(PipelineIds.SurvivesAsPathSegment(id, LegacyFrameworkUri));
            // This runtime (.NET, as PowerShell 7) keeps them as one escaped segment: they pass.
            Assert.True(PipelineIds.SurvivesAsPathSegment(id, s => new Uri(s)));
            Assert.Null(PipelineIds.Problem(id));
        }

        [Fact]
        public void Ordinary_ids_and_org_ids_survive_either_rule()
        {
            Assert.True(PipelineIds.SurvivesAsPathSegment("pl-0001", LegacyFrameworkUri));
            Assert.True(PipelineIds.SurvivesAsPathSegment("a?b#c%2e", LegacyFrameworkUri));
            Assert.True(PipelineIds.SurvivesAsQueryValue("o15500000000001", LegacyFrameworkUri));
            Assert.False(PipelineIds.SurvivesAsQueryValue("o1&x=y", LegacyFrameworkUri));
            Assert.True(PipelineIds.SurvivesAsQueryValue("o1&x=y", s => new Uri(s)));
        }

        [Theory]
        [InlineData("https://user:s3cr3t-pw@apigw.example.com")]
        [InlineData("https://user:s3cr3t-pw@apigw.example.com/apigw")]
        [InlineData("http://user:s3cr3t-pw@127.0.0.1:8080")]
        [InlineData("https://s3cr3t-pw@apigw.example.com")]
        public void A_gateway_url_with_user_info_is_refused_without_echoing_it(string url)
        {
            var problem = StreamingConnection.GatewayUrlProblem(new Uri(url), allowInsecureHttp: true);

            Assert.NotNull(problem);
            Assert.Contains("user:password@", problem);
            Assert.DoesNotContain("s3cr3t-pw", problem);
            var refused = Assert.Throws<ArgumentException>(() =>
                StreamingConnection.Create(new Uri(url), "o1", new Authentication.AppCredential("k", "s")));
            Assert.DoesNotContain("s3cr3t-pw", refused.Message);
        }

        [Theory]
        [InlineData("https://user:pw@apigw.example.com/x?y", "https://apigw.example.com/x?y")]
        [InlineData("user:pw@apigw.example.com", "apigw.example.com")]
        [InlineData("https://apigw.example.com/a@b", "https://apigw.example.com/a@b")]
        [InlineData("https://apigw.example.com", "https://apigw.example.com")]
        [InlineData("not a url at all", "not a url at all")]
        public void Urls_are_shown_without_user_info(string url, string shown)
        {
            Assert.Equal(shown, StreamingConnection.WithoutUserInfo(url));
        }

        [Fact]
        public void A_scheme_less_url_with_a_password_is_not_echoed_either()
        {
            var problem = StreamingConnection.GatewayUrlProblem(new Uri("user:s3cr3t-pw@apigw.example.com"), allowInsecureHttp: false);
            Assert.NotNull(problem);
            Assert.DoesNotContain("s3cr3t-pw", problem);
        }

        [Fact]
        public async Task A_connection_given_up_by_its_owner_lives_until_its_last_lease_ends()
        {
            var gateway = new StubGateway();
            var connection = gateway.Connect();
            var first = connection.TryLease()!;
            var second = connection.TryLease()!;

            connection.Dispose();
            Assert.False(connection.IsClosed);
            await first.Connection.CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-0001");

            first.Dispose();
            first.Dispose(); // a lease ends once, however often it is disposed
            Assert.False(connection.IsClosed);
            second.Dispose();
            Assert.True(connection.IsClosed);
            Assert.Null(connection.TryLease());
        }

        [Fact]
        public void A_connection_nobody_leased_closes_when_its_owner_disposes_it()
        {
            var connection = new StubGateway().Connect();
            connection.Dispose();
            connection.Dispose();
            Assert.True(connection.IsClosed);
        }

        private static FrameworkDependencyResolver Resolver(string moduleFolder, Version shippedVersion)
        {
            var dependencies = Path.Combine(moduleFolder, "Dependencies");
            var shipped = new AssemblyName("Microsoft.Extensions.Http") { Version = shippedVersion };
            shipped.SetPublicKeyToken(new byte[] { 0xad, 0xb9, 0x79, 0x38, 0x29, 0xdd, 0xae, 0x60 });
            return new FrameworkDependencyResolver(new[] { moduleFolder, dependencies },
                new[] { (shipped, Path.Combine(dependencies, "Microsoft.Extensions.Http.dll")) });
        }

        [Fact]
        public void The_Windows_PowerShell_resolver_answers_the_module_for_its_own_dependencies_up_to_the_shipped_version()
        {
            var module = Path.Combine(Path.GetTempPath(), "EnOS.Streaming", "0.1.0");
            var resolver = Resolver(module, new Version(8, 0, 0, 0));
            var ours = Path.Combine(module, "EnOS.Streaming.PowerShell.dll");
            var ourDependency = Path.Combine(module, "Dependencies", "EnOS.Streaming.Client.dll");
            const string token = ", Culture=neutral, PublicKeyToken=adb9793829ddae60";

            var expected = Path.Combine(module, "Dependencies", "Microsoft.Extensions.Http.dll");
            Assert.Equal(expected, resolver.Choose("Microsoft.Extensions.Http, Version=8.0.0.0" + token, ours));
            Assert.Equal(expected, resolver.Choose("Microsoft.Extensions.Http, Version=6.0.0.0" + token, ourDependency));

            // Newer than shipped, another module's request, no requester, not ours, a different signer: not answered.
            Assert.Null(resolver.Choose("Microsoft.Extensions.Http, Version=9.0.0.0" + token, ours));
            Assert.Null(resolver.Choose("Microsoft.Extensions.Http, Version=8.0.0.0" + token, Path.Combine(Path.GetTempPath(), "OtherModule", "Other.dll")));
            Assert.Null(resolver.Choose("Microsoft.Extensions.Http, Version=8.0.0.0" + token, (string?)null));
            Assert.Null(resolver.Choose("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", ours));
            Assert.Null(resolver.Choose("Microsoft.Extensions.Http, Version=8.0.0.0, Culture=neutral, PublicKeyToken=0000000000000000", ours));
        }

        [Fact]
        public void The_Windows_PowerShell_resolver_reads_what_ships_from_the_folder()
        {
            var folder = Path.GetDirectoryName(typeof(StreamingConnection).Assembly.Location)!;
            var shipped = FrameworkDependencyResolver.ShippedIn(folder);

            var client = Assert.Single(shipped, a => a.Name.Name == "EnOS.Streaming.Client");
            Assert.Equal(typeof(StreamingConnection).Assembly.GetName().Version, client.Name.Version);
        }
    }
}
