using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>Get-EnosPipeline's matching, with '*' as the only wildcard (the cmdlet passes PowerShell's WildcardPattern).</summary>
    public class PipelineFilterTests
    {
        private static readonly Pipeline[] Listed =
        {
            new Pipeline { PipelineId = "pl-0001", Name = "wind-line-1", Status = PipelineStatus.Running },
            new Pipeline { PipelineId = "pl-0002", Name = "wind-line-2", Status = PipelineStatus.Paused },
            new Pipeline { PipelineId = "pl-0010", Name = "solar", Status = PipelineStatus.Running },
            new Pipeline { PipelineId = "pl-0011", Name = null, Status = PipelineStatus.Stopped },
        };

        private static PipelineFilter Filter(string[]? names = null, string[]? ids = null, PipelineStatus[]? statuses = null) =>
            new PipelineFilter(names ?? Array.Empty<string>(), ids ?? Array.Empty<string>(), statuses,
                text => text.Contains('*'),
                text => new Regex("^" + Regex.Escape(text).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase).IsMatch);

        private static List<string> Written(PipelineFilter filter) => Listed.Where(filter.Matches).Select(p => p.PipelineId).ToList();

        [Fact]
        public void NothingAskedForWritesEverything()
        {
            var filter = Filter();
            Assert.Equal(Listed.Select(p => p.PipelineId), Written(filter));
            Assert.False(filter.Complete);
        }

        [Fact]
        public void NamesMatchIgnoringCaseAndWildcards()
        {
            Assert.Equal(new[] { "pl-0001", "pl-0002" }, Written(Filter(names: new[] { "WIND-*" })));
            Assert.Equal(new[] { "pl-0010" }, Written(Filter(names: new[] { "Solar" })));
        }

        [Fact]
        public void IdsMatchExactlyOrByWildcard()
        {
            Assert.Equal(new[] { "pl-0002" }, Written(Filter(ids: new[] { "pl-0002" })));
            Assert.Empty(Written(Filter(ids: new[] { "PL-0002" })));
            Assert.Equal(new[] { "pl-0010", "pl-0011" }, Written(Filter(ids: new[] { "pl-001*" })));
        }

        [Fact]
        public void EveryKindMustMatchAndAlternativesWithinOne()
        {
            Assert.Equal(new[] { "pl-0001", "pl-0010" }, Written(Filter(statuses: new[] { PipelineStatus.Running })));
            Assert.Equal(new[] { "pl-0001" }, Written(Filter(names: new[] { "wind-*" }, statuses: new[] { PipelineStatus.Running })));
            Assert.Equal(new[] { "pl-0001", "pl-0010" }, Written(Filter(ids: new[] { "pl-0001", "pl-0010", "pl-0011" }, names: new[] { "wind-*", "solar" })));
        }

        [Fact]
        public void MissingExactIdsAndNamesAreReportedWildcardsNever()
        {
            var filter = Filter(ids: new[] { "pl-9999", "pl-0001", "pl-8888*" });
            Written(filter);
            Assert.Equal(new[] { "pl-9999" }, filter.MissingIds);

            filter = Filter(names: new[] { "nowhere", "WIND-LINE-1", "no-*" });
            Written(filter);
            Assert.Equal(new[] { "nowhere" }, filter.MissingNames);
        }

        [Fact]
        public void AnIdListedButFilteredOutByStatusIsNotMissing()
        {
            var filter = Filter(ids: new[] { "pl-0002" }, statuses: new[] { PipelineStatus.Running });
            Assert.Empty(Written(filter));
            Assert.Empty(filter.MissingIds);
        }

        [Fact]
        public void CompleteOnceEveryExactIdIsSeenAndNothingElseWasAskedFor()
        {
            var filter = Filter(ids: new[] { "pl-0001", "pl-0002" });
            filter.Matches(Listed[0]);
            Assert.False(filter.Complete);
            filter.Matches(Listed[1]);
            Assert.True(filter.Complete);

            var withName = Filter(ids: new[] { "pl-0001" }, names: new[] { "wind-line-1" });
            withName.Matches(Listed[0]);
            Assert.False(withName.Complete);
        }
    }
}
