using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public class PipelineListingTests
    {
        /// <summary>A service holding <paramref name="total"/> pipelines that returns at most <paramref name="cap"/> a page.</summary>
        private static (Func<int, int, CancellationToken, Task<PipelinePage>> Fetch, List<(int PageNo, int PageSize)> Asked) Service(
            int total, int cap, bool reportCount = true)
        {
            var asked = new List<(int, int)>();
            Task<PipelinePage> Fetch(int pageNo, int pageSize, CancellationToken _)
            {
                lock (asked) asked.Add((pageNo, pageSize));
                var size = Math.Min(pageSize, cap);
                var items = Enumerable.Range((pageNo - 1) * size, size).Where(i => i < total)
                    .Select(i => new Pipeline { PipelineId = $"pl-{i}" }).ToList();
                return Task.FromResult(new PipelinePage(items, reportCount ? total : (int?)null));
            }

            return (Fetch, asked);
        }

        private static async Task<List<string>> ReadAll(PipelineListing listing)
        {
            var ids = new List<string>();
            IReadOnlyList<Pipeline>? page;
            while ((page = await listing.NextPageAsync(CancellationToken.None)) != null)
            {
                ids.AddRange(page.Select(p => p.PipelineId));
            }

            return ids;
        }

        [Theory]
        [InlineData(0, 100, 200)]
        [InlineData(1, 100, 200)]
        [InlineData(200, 500, 200)]
        [InlineData(201, 500, 200)]
        [InlineData(1000, 500, 200)]
        public async Task Lists_every_pipeline_once(int total, int cap, int pageSize)
        {
            var (fetch, _) = Service(total, cap);

            var ids = await ReadAll(new PipelineListing(fetch, pageSize));

            Assert.Equal(Enumerable.Range(0, total).Select(i => $"pl-{i}"), ids);
        }

        [Fact]
        public async Task Reads_all_pages_into_one_list_or_stops_once_it_has_enough()
        {
            var (fetch, _) = Service(total: 1000, cap: 200);
            Assert.Equal(1000, (await new PipelineListing(fetch, 200).ReadAllAsync(CancellationToken.None)).Count);

            var (bounded, asked) = Service(total: 1000, cap: 200);
            var some = await new PipelineListing(bounded, 200).ReadAllAsync(CancellationToken.None, atMost: 250);

            Assert.Equal(400, some.Count); // whole pages, just past the bound
            Assert.True(asked.Count <= 3); // two read, at most one prefetched
        }

        [Fact]
        public async Task Follows_a_service_that_caps_its_pages_below_the_asked_size()
        {
            var (fetch, asked) = Service(total: 130, cap: 50);

            var ids = await ReadAll(new PipelineListing(fetch, 200));

            Assert.Equal(130, ids.Distinct().Count());
            Assert.Equal(new[] { (1, 200), (2, 50), (3, 50) }, asked);
        }

        [Fact]
        public async Task Stops_on_a_short_page_when_no_count_is_reported()
        {
            var (fetch, asked) = Service(total: 450, cap: 1000, reportCount: false);

            var ids = await ReadAll(new PipelineListing(fetch, 200));

            Assert.Equal(450, ids.Count);
            Assert.Equal(3, asked.Count);
        }

        [Fact]
        public async Task Stops_on_an_empty_page_even_if_the_count_promised_more()
        {
            var asked = 0;
            var listing = new PipelineListing((pageNo, size, _) =>
            {
                asked++;
                var items = pageNo == 1 ? new List<Pipeline> { new Pipeline { PipelineId = "a" } } : new List<Pipeline>();
                return Task.FromResult(new PipelinePage(items, 10));
            }, 1);

            Assert.Single(await ReadAll(listing));
            Assert.Equal(2, asked);
        }

        [Fact]
        public async Task Fetches_the_next_page_while_the_caller_handles_this_one()
        {
            var (fetch, asked) = Service(total: 600, cap: 200);
            var listing = new PipelineListing(fetch, 200);

            await listing.NextPageAsync(CancellationToken.None);

            Assert.Equal(2, asked.Count);
        }

        [Fact]
        public async Task Disposing_cancels_the_page_in_flight()
        {
            var tokens = new List<CancellationToken>();
            var listing = new PipelineListing((pageNo, size, token) =>
            {
                tokens.Add(token);
                return Task.FromResult(new PipelinePage(Enumerable.Range(0, size).Select(i => new Pipeline()).ToList(), 1000));
            }, 10);
            await listing.NextPageAsync(CancellationToken.None);

            listing.Dispose();

            Assert.True(tokens.Last().IsCancellationRequested);
            listing.Dispose(); // twice is fine
            Assert.Null(await listing.NextPageAsync(CancellationToken.None));
        }

        [Fact]
        public async Task Cancelling_the_caller_after_dispose_throws_nothing_stray()
        {
            using var caller = new CancellationTokenSource();
            var release = new TaskCompletionSource<PipelinePage>();
            var listing = new PipelineListing((pageNo, size, token) => release.Task, 10);
            var pending = listing.NextPageAsync(caller.Token);

            listing.Dispose();
            caller.Cancel();
            release.SetResult(new PipelinePage(new List<Pipeline> { new Pipeline { PipelineId = "a" } }, 100));

            Assert.Single((await pending)!);
            Assert.Null(await listing.NextPageAsync(CancellationToken.None));
        }
    }
}
