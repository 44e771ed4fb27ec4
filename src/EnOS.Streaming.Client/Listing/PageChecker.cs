using System;
using System.Collections.Generic;
using System.Globalization;
using EnOS.Streaming.Http;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming
{
    /// <summary>
    /// Checks the pages of one listing, in page order, against what the service announced: the
    /// service is not trusted to page honestly. Each pipeline is returned once however pages
    /// overlap, and a page that adds nothing new, or a listing that goes past the count it
    /// announced, ends the listing with a warning (<see cref="Anomaly"/>) rather than a loop.
    /// </summary>
    internal sealed partial class PageChecker
    {
        /// <summary>A guard against a service that never stops returning pages.</summary>
        public const int MaxPages = 100_000;

        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly ILogger _logger;

        public PageChecker(int pageSize, ILogger logger)
        {
            PageSize = pageSize;
            _logger = logger;
        }

        /// <summary>The page size to ask for: the one first asked, or the service's own when it caps pages below it.</summary>
        public int PageSize { get; private set; }

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
            var announced = TotalCount;
            TotalCount = page.TotalCount ?? TotalCount;
            if (count == 0)
            {
                Complete = true;
                if (TotalCount > Received)
                {
                    End($"the service said {TotalCount} pipelines but sent {Received}");
                }

                return new List<Pipeline>();
            }

            var fresh = Unseen(page.Pipelines);
            // A service that caps its pages below what was asked: carry on at its page size, so
            // that pageNo addresses the right slice whichever way it counts offsets.
            if (pageNo == 1 && count < PageSize && TotalCount > count)
            {
                PageSize = count;
            }

            if (fresh.Count == 0)
            {
                End($"page {pageNo} repeated pipelines already listed and added none");
                return fresh;
            }

            if (announced.HasValue && Received > announced.Value)
            {
                End($"the service said {announced} pipelines and went on past them ({Received} so far)");
                return fresh;
            }

            Complete = TotalCount.HasValue
                ? Received >= TotalCount.Value
                : count < PageSize;
            if (TotalCount.HasValue && Complete && Received > TotalCount.Value)
            {
                Anomaly = $"the service said {TotalCount} pipelines and sent {Received}";
                Log.Inconsistent(_logger, Anomaly, Received);
            }

            if (pageNo >= MaxPages)
            {
                End($"it ran past {MaxPages.ToString(CultureInfo.InvariantCulture)} pages");
            }

            return fresh;
        }

        private List<Pipeline> Unseen(IReadOnlyList<Pipeline> pipelines)
        {
            var fresh = new List<Pipeline>(pipelines.Count);
            foreach (var pipeline in pipelines)
            {
                if (_seen.Add(pipeline.PipelineId))
                {
                    fresh.Add(pipeline);
                }
            }

            return fresh;
        }

        private void End(string anomaly)
        {
            Complete = true;
            Anomaly = anomaly;
            Log.EndedEarly(_logger, anomaly, Received);
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
