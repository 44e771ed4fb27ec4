using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;

namespace EnOS.Streaming
{
    /// <summary>
    /// Walks List Pipelines page by page, so a caller can write each page as it arrives and memory
    /// stays at about two pages whatever the organisation's size. While the caller handles one
    /// page, the next is already being fetched.
    /// </summary>
    public sealed class PipelineListing : IDisposable
    {
        // A guard against a service that never stops returning pages.
        private const int MaxPages = 100_000;

        private readonly Func<int, int, CancellationToken, Task<PipelinePage>> _fetchPage;
        private readonly CancellationTokenSource _disposed = new CancellationTokenSource();
        private int _pageNo = 1;
        private int _pageSize;
        private int _received;
        private bool _done;
        private Task<PipelinePage>? _prefetch;

        internal PipelineListing(Func<int, int, CancellationToken, Task<PipelinePage>> fetchPage, int pageSize)
        {
            _fetchPage = fetchPage;
            _pageSize = pageSize;
        }

        /// <summary>The total the service last reported, once the first page is in.</summary>
        public int? TotalCount { get; private set; }

        /// <summary>The next page's pipelines, or null when the listing is complete.</summary>
        public async Task<IReadOnlyList<Pipeline>?> NextPageAsync(CancellationToken cancellationToken)
        {
            if (_done)
            {
                return null;
            }

            var pending = _prefetch ?? _fetchPage(_pageNo, _pageSize, _disposed.Token);
            _prefetch = null;
            PipelinePage page;
            using (cancellationToken.Register(() => _disposed.Cancel()))
            {
                page = await pending.ConfigureAwait(false);
            }

            Advance(page);
            if (!_done && !_disposed.IsCancellationRequested)
            {
                _prefetch = _fetchPage(_pageNo, _pageSize, _disposed.Token);
                // Observe a failure here too, so an abandoned prefetch never goes unobserved.
                _ = _prefetch.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            }

            return page.Pipelines.Count == 0 ? null : page.Pipelines;
        }

        /// <summary>
        /// Collects the pages into one list, stopping once it holds <paramref name="atMost"/>
        /// pipelines: for callers that need them all at hand rather than page by page.
        /// </summary>
        public async Task<List<Pipeline>> ReadAllAsync(CancellationToken cancellationToken, int atMost = int.MaxValue)
        {
            var pipelines = new List<Pipeline>();
            IReadOnlyList<Pipeline>? page;
            while (pipelines.Count < atMost && (page = await NextPageAsync(cancellationToken).ConfigureAwait(false)) != null)
            {
                pipelines.AddRange(page);
            }

            return pipelines;
        }

        private void Advance(PipelinePage page)
        {
            var count = page.Pipelines.Count;
            TotalCount = page.TotalCount ?? TotalCount;
            if (count == 0)
            {
                _done = true;
                return;
            }

            // A service that caps its pages below what was asked: carry on at its page size, so
            // that pageNo addresses the right slice whichever way it counts offsets.
            if (_pageNo == 1 && count < _pageSize && TotalCount > count)
            {
                _pageSize = count;
            }

            _received += count;
            _pageNo++;
            _done = TotalCount.HasValue
                ? _received >= TotalCount.Value
                : count < _pageSize;
            _done |= _pageNo > MaxPages || _disposed.IsCancellationRequested;
        }

        /// <summary>Cancels a page fetch that is still in flight. Safe to call more than once.</summary>
        public void Dispose()
        {
            _done = true;
            // Not disposed itself: a fetch still unwinding may yet register with its token.
            _disposed.Cancel();
        }
    }
}
