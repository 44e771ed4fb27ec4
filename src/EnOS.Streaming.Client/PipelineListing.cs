using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnOS.Streaming
{
    /// <summary>
    /// Walks List Pipelines page by page, so a caller can write each page as it arrives, in page
    /// order. While the caller handles one page, the next is already being fetched; once the
    /// service has announced a count, up to <see cref="MaxPagesInFlight"/> pages within that count
    /// are fetched at once (each call still waits its turn at the connection's limiter), so a large
    /// organisation lists in a fraction of the time. Memory stays at about those pages whatever the
    /// organisation's size.
    /// The service is not trusted to page honestly: pages are checked in page order whatever order
    /// they arrive in, each pipeline is returned once however pages overlap, and a page that adds
    /// nothing new, or a listing that goes past the count it announced, ends the listing with a
    /// warning (<see cref="Anomaly"/>) rather than a loop; the pages fetched ahead are then
    /// cancelled, so a lying count costs at most that many extra calls. The time spent waiting for
    /// pages is bounded by the connection's timeout, as one call is.
    /// </summary>
    public sealed partial class PipelineListing : IDisposable
    {
        // A guard against a service that never stops returning pages.
        private const int MaxPages = 100_000;

        /// <summary>
        /// The most pages fetched at once, counted from the next page to return: 8 pages of 100 at
        /// 200 ms each list 10,000 pipelines in about 3 s instead of 20, and stay a small share of
        /// the connection's calls in flight.
        /// </summary>
        internal const int MaxPagesInFlight = 8;

        private readonly Func<int, int, CancellationToken, Task<PipelinePage>> _fetchPage;
        private readonly CancellationTokenSource _disposed = new CancellationTokenSource();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly ILogger _logger;
        private readonly TimeSpan _budget;
        private readonly Stopwatch _waiting = new Stopwatch();
        private readonly bool _prefetchNext;
        // Pages asked for and not yet returned, by page number; never more than MaxPagesInFlight.
        private readonly Dictionary<int, Task<PipelinePage>> _inFlight = new Dictionary<int, Task<PipelinePage>>();
        private int _pageNo = 1;
        private int _pageSize;
        private int _wanted = int.MaxValue;
        private bool _done;
        private bool _toldConcurrent;

        internal PipelineListing(Func<int, int, CancellationToken, Task<PipelinePage>> fetchPage, int pageSize,
            ILogger? logger = null, TimeSpan? budget = null, bool prefetch = true)
        {
            _prefetchNext = prefetch;
            _fetchPage = fetchPage;
            _pageSize = pageSize;
            _logger = logger ?? NullLogger.Instance;
            _budget = budget ?? Timeout.InfiniteTimeSpan;
        }

        /// <summary>The total the service last reported, once the first page is in.</summary>
        public int? TotalCount { get; private set; }

        /// <summary>How many distinct pipelines the listing has returned so far.</summary>
        public int Received => _seen.Count;

        /// <summary>Why the listing ended before the service said it was complete, or null.</summary>
        public string? Anomaly { get; private set; }

        /// <summary>The next page's pipelines not returned before, or null when the listing is complete.</summary>
        public async Task<IReadOnlyList<Pipeline>?> NextPageAsync(CancellationToken cancellationToken)
        {
            if (_done)
            {
                return null;
            }

            // Pages are fetched ahead only from the second call on: a caller that stops after the
            // first page (it found its pipeline) costs one prefetched page, as before.
            FetchAhead(_prefetchNext && _pageNo > 1 ? MaxPagesInFlight : 1);
            var pending = _inFlight[_pageNo];
            PipelinePage page;
            try
            {
                page = await WithinBudgetAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // A failed page is asked for again if the caller tries again; the others stay valid.
                _inFlight.Remove(_pageNo);
            }

            // Told here rather than as each page arrives, so that -Verbose reads in page order.
            Log.PageRead(_logger, _pageNo, page.Pipelines.Count, page.TotalCount);
            var fresh = Advance(page);
            if (_done)
            {
                // Pages fetched ahead of an end are not wanted: cancel them.
                Dispose();
                _inFlight.Clear();
            }
            else if (_prefetchNext)
            {
                FetchAhead(1);
            }

            return fresh.Count == 0 ? null : fresh;
        }

        /// <summary>
        /// Collects the pages into one list, stopping once it holds <paramref name="atMost"/>
        /// pipelines: for callers that need them all at hand rather than page by page.
        /// </summary>
        public async Task<List<Pipeline>> ReadAllAsync(CancellationToken cancellationToken, int atMost = int.MaxValue)
        {
            // Pages past the bound are not fetched ahead.
            _wanted = atMost;
            var pipelines = new List<Pipeline>();
            IReadOnlyList<Pipeline>? page;
            while (pipelines.Count < atMost && (page = await NextPageAsync(cancellationToken).ConfigureAwait(false)) != null)
            {
                pipelines.AddRange(page);
            }

            return pipelines;
        }

        /// <summary>
        /// Makes sure the next <paramref name="pages"/> pages are being fetched, but none past the
        /// last page the announced count (or the caller's bound) needs: a page beyond is fetched
        /// only once the one before it is in and checked. Without a count, one page at a time.
        /// </summary>
        private void FetchAhead(int pages)
        {
            var last = _pageNo;
            if (pages > 1 && TotalCount.HasValue)
            {
                var needed = Math.Min(TotalCount.Value, _wanted);
                var lastByCount = (int)Math.Min(MaxPages, ((long)needed + _pageSize - 1) / _pageSize);
                last = Math.Max(_pageNo, Math.Min(_pageNo + pages - 1, lastByCount));
            }

            if (last > _pageNo + 1 && !_toldConcurrent)
            {
                _toldConcurrent = true;
                Log.ReadingAhead(_logger, MaxPagesInFlight);
            }

            for (var pageNo = _pageNo; pageNo <= last; pageNo++)
            {
                if (!_inFlight.ContainsKey(pageNo))
                {
                    var fetch = _fetchPage(pageNo, _pageSize, _disposed.Token);
                    // Observe a failure here too, so a page abandoned unread never goes unobserved.
                    _ = fetch.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    _inFlight[pageNo] = fetch;
                }
            }
        }

        /// <summary>Waits for a page, counting the wait against the listing's time budget.</summary>
        private async Task<PipelinePage> WithinBudgetAsync(Task<PipelinePage> pending, CancellationToken cancellationToken)
        {
            using (cancellationToken.Register(() => _disposed.Cancel()))
            {
                if (_budget == Timeout.InfiniteTimeSpan)
                {
                    return await pending.ConfigureAwait(false);
                }

                var remaining = _budget - _waiting.Elapsed;
                _waiting.Start();
                try
                {
                    using (var timer = new CancellationTokenSource())
                    {
                        var first = remaining > TimeSpan.Zero
                            ? await Task.WhenAny(pending, Task.Delay(remaining, timer.Token)).ConfigureAwait(false)
                            : null;
                        if (first == pending)
                        {
                            timer.Cancel();
                            return await pending.ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    _waiting.Stop();
                }

                Dispose();
                throw new EnosTransportException(
                    $"the connection's timeout ({_budget.TotalSeconds:0.#} s) ran out with {Received} pipelines listed", null, "list the pipelines",
                    TransportFailure.TimedOut, null, null, isTransient: true)
                {
                    RetriesExhausted = true,
                };
            }
        }

        private List<Pipeline> Advance(PipelinePage page)
        {
            var count = page.Pipelines.Count;
            var announced = TotalCount;
            TotalCount = page.TotalCount ?? TotalCount;
            if (count == 0)
            {
                _done = true;
                if (TotalCount > Received)
                {
                    End($"the service said {TotalCount} pipelines but sent {Received}");
                }

                return new List<Pipeline>();
            }

            var fresh = new List<Pipeline>(count);
            foreach (var pipeline in page.Pipelines)
            {
                if (_seen.Add(pipeline.PipelineId))
                {
                    fresh.Add(pipeline);
                }
            }

            // A service that caps its pages below what was asked: carry on at its page size, so
            // that pageNo addresses the right slice whichever way it counts offsets.
            if (_pageNo == 1 && count < _pageSize && TotalCount > count)
            {
                _pageSize = count;
            }

            _pageNo++;
            if (fresh.Count == 0)
            {
                End($"page {_pageNo - 1} repeated pipelines already listed and added none");
                return fresh;
            }

            if (announced.HasValue && Received > announced.Value)
            {
                End($"the service said {announced} pipelines and went on past them ({Received} so far)");
                return fresh;
            }

            _done = TotalCount.HasValue
                ? Received >= TotalCount.Value
                : count < _pageSize;
            if (TotalCount.HasValue && _done && Received > TotalCount.Value)
            {
                Anomaly = $"the service said {TotalCount} pipelines and sent {Received}";
                Log.Inconsistent(_logger, Anomaly, Received);
            }

            if (_pageNo > MaxPages)
            {
                End($"it ran past {MaxPages.ToString(CultureInfo.InvariantCulture)} pages");
            }

            _done |= _disposed.IsCancellationRequested;
            return fresh;
        }

        private void End(string anomaly)
        {
            _done = true;
            Anomaly = anomaly;
            Log.EndedEarly(_logger, anomaly, Received);
        }

        /// <summary>Cancels a page fetch that is still in flight. Safe to call more than once.</summary>
        public void Dispose()
        {
            _done = true;
            // Not disposed itself: a fetch still unwinding may yet register with its token.
            _disposed.Cancel();
        }

        private static partial class Log
        {
            public static void PageRead(ILogger logger, int pageNo, int count, int? total)
            {
                if (total.HasValue)
                {
                    PageRead(logger, pageNo, count, total.Value);
                }
                else
                {
                    PageReadWithoutTotal(logger, pageNo, count);
                }
            }

            [LoggerMessage(Level = LogLevel.Information, Message = "Page {PageNo}: {Count} pipelines (the organisation has {Total}).")]
            private static partial void PageRead(ILogger logger, int pageNo, int count, int total);

            [LoggerMessage(Level = LogLevel.Information, Message = "Page {PageNo}: {Count} pipelines (the organisation has an unreported number of).")]
            private static partial void PageReadWithoutTotal(ILogger logger, int pageNo, int count);

            [LoggerMessage(Level = LogLevel.Information, Message = "Reading the next pages up to {Pages} at once.")]
            public static partial void ReadingAhead(ILogger logger, int pages);

            [LoggerMessage(Level = LogLevel.Warning, Message = "The pipeline listing is inconsistent: {Anomaly}; all {Received} are listed.")]
            public static partial void Inconsistent(ILogger logger, string anomaly, int received);

            [LoggerMessage(Level = LogLevel.Warning, Message = "The pipeline listing ended early: {Anomaly}. {Received} pipelines were listed, each once; the listing may be incomplete.")]
            public static partial void EndedEarly(ILogger logger, string anomaly, int received);
        }
    }
}
