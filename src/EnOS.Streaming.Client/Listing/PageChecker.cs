using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EnOS.Streaming.Http;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming
{
    /// <summary>Checks a listing's pages in order: each pipeline once, full pages go on past the count, and a page adding nothing ends it (an Anomaly).</summary>
    internal sealed partial class PageChecker(int pageSize, ILogger logger)
    {
        /// <summary>A guard against a service that never stops returning pages.</summary>
        public const int MaxPages = 100_000;

        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The page size to ask for: the one first asked, or the service's own when it caps pages below it.</summary>
        public int PageSize { get; private set; } = pageSize;

        /// <summary>The total the service last reported, once the first page is in.</summary>
        public int? TotalCount { get; private set; }

        /// <summary>How many distinct pipelines the pages have held so far.</summary>
        public int Received => _seen.Count;

        /// <summary>Why the listing ended before the service said it was complete, or null.</summary>
        public string? Anomaly { get; private set; }

        /// <summary>True once the listing is complete, or has ended early.</summary>
        public bool Complete { get; private set; }

        /// <summary>Page <paramref name="pageNo"/>'s pipelines that no page before it held.</summary>
        public List<Pipeline> Check(int pageNo, PipelinePage page)
        {
            var count = page.Pipelines.Count;
            TotalCount = page.TotalCount ?? TotalCount;
            if (count == 0)
            {
                Complete = true;
                TellIfCountDisagrees();
                return new List<Pipeline>();
            }

            var fresh = Unseen(page.Pipelines);
            // A service capping its pages: carry on at its size, so pageNo addresses the right slice.
            if (pageNo == 1 && count < PageSize && TotalCount > count)
            {
                PageSize = count;
            }

            if (fresh.Count == 0 && count < PageSize)
            {
                // The last page, short, held only pipelines an overlapping page had listed already.
                Complete = true;
                TellIfCountDisagrees();
                return fresh;
            }

            if (fresh.Count == 0)
            {
                End($"page {pageNo} repeated pipelines already listed and added none");
                return fresh;
            }

            // A count too low must not cut the listing short: a full page may have a next one.
            Complete = count < PageSize;
            if (Complete)
            {
                TellIfCountDisagrees();
            }

            if (pageNo >= MaxPages)
            {
                End($"it ran past {MaxPages.ToString(CultureInfo.InvariantCulture)} pages");
            }

            return fresh;
        }

        /// <summary>At the end of a whole listing: a warning when the service's count and what was read differ, either way.</summary>
        private void TellIfCountDisagrees()
        {
            if (TotalCount.HasValue && TotalCount.Value != Received)
            {
                Anomaly = $"the service said {TotalCount} pipelines and sent {Received}";
                Log.Inconsistent(logger, Anomaly, Received);
            }
        }

        // Each pipeline once, however pages overlap.
        private List<Pipeline> Unseen(IReadOnlyList<Pipeline> pipelines) => pipelines.Where(pipeline => _seen.Add(pipeline.PipelineId)).ToList();

        private void End(string anomaly)
        {
            Complete = true;
            Anomaly = anomaly;
            Log.EndedEarly(logger, anomaly, Received);
        }

        private static partial class Log
        {
            [LoggerMessage(Level = LogLevel.Warning, Message = "The pipeline listing is inconsistent: {Anomaly}; all {Received} are listed.")]
            public static partial void Inconsistent(ILogger logger, string anomaly, int received);

            [LoggerMessage(Level = LogLevel.Warning, Message = "The pipeline listing ended early: {Anomaly}. {Received} pipelines were listed, each once; the listing may be incomplete.")]
            public static partial void EndedEarly(ILogger logger, string anomaly, int received);
        }
    }
}
