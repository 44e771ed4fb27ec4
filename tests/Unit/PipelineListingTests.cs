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
                lock (asked)
                {
                    asked.Add((pageNo, pageSize));
                }

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
            Assert.InRange(asked, 2, 1 + PipelineListing.MaxPagesInFlight); // page 2, and at most the pages fetched ahead of it
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

        /// <summary>A listing of <paramref name="total"/> pipelines whose pages lie: a count, a repeat from a page on, an overlap.</summary>
        private static (Func<int, int, CancellationToken, Task<PipelinePage>> Fetch, List<int> Asked) LyingService(
            int total, int? count = null, int? repeatFrom = null, int overlap = 0)
        {
            var asked = new List<int>();
            Task<PipelinePage> Fetch(int pageNo, int pageSize, CancellationToken _)
            {
                lock (asked)
                {
                    asked.Add(pageNo);
                }

                var effective = repeatFrom.HasValue && pageNo >= repeatFrom ? repeatFrom.Value - 1 : pageNo;
                var start = (effective - 1) * (pageSize - overlap);
                var items = Enumerable.Range(start, pageSize).Where(i => i < total).Select(i => new Pipeline { PipelineId = $"pl-{i}" }).ToList();
                return Task.FromResult(new PipelinePage(items, count ?? total));
            }

            return (Fetch, asked);
        }

        [Fact]
        public async Task Overlapping_pages_still_give_each_pipeline_once()
        {
            var (fetch, _) = LyingService(total: 95, overlap: 5);
            var listing = new PipelineListing(fetch, 10);

            var ids = await ReadAll(listing);

            Assert.Equal(Enumerable.Range(0, 95).Select(i => $"pl-{i}"), ids);
            Assert.Null(listing.Anomaly);
        }

        [Fact]
        public async Task A_lying_count_with_repeating_pages_ends_at_the_first_page_that_adds_nothing()
        {
            // The reported case: count far above the truth, and pages that repeat forever.
            var (fetch, asked) = LyingService(total: 200, count: 1_000_000, repeatFrom: 3);
            var listing = new PipelineListing(fetch, 100);

            var ids = await ReadAll(listing);

            Assert.Equal(200, ids.Count);
            Assert.Equal(200, ids.Distinct().Count());
            // Two pages, then at most the pages fetched ahead of the first repeat.
            Assert.True(asked.Count <= 2 + PipelineListing.MaxPagesInFlight, $"asked {asked.Count} pages");
            Assert.Contains("repeated", listing.Anomaly);
        }

        [Fact]
        public async Task A_count_above_what_arrives_is_told()
        {
            var (fetch, _) = LyingService(total: 150, count: 400);
            var listing = new PipelineListing(fetch, 100);

            Assert.Equal(150, (await ReadAll(listing)).Count);
            Assert.Contains("said 400", listing.Anomaly);
        }

        [Fact]
        public async Task A_count_below_the_truth_does_not_cut_the_listing_short_and_is_told()
        {
            // The reported case: 300 of 1,000 truncated Get-EnosPipeline silently.
            var (fetch, asked) = LyingService(total: 1000, count: 300);
            var listing = new PipelineListing(fetch, 100);

            var ids = await ReadAll(listing);

            Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"pl-{i}"), ids);
            Assert.Equal("the service said 300 pipelines and sent 1000", listing.Anomaly);
            // Ten full pages and the empty one that ends them, none twice; at most the pages read ahead past the end.
            Assert.Equal(Enumerable.Range(1, 11), asked.OrderBy(n => n).Take(11));
            Assert.Equal(asked.Count, asked.Distinct().Count());
            Assert.True(asked.Count <= 11 + PipelineListing.MaxPagesInFlight, $"asked {asked.Count} pages");
        }

        [Fact]
        public async Task A_true_count_that_fills_the_last_page_costs_one_empty_page_and_no_warning()
        {
            var (fetch, asked) = LyingService(total: 300);
            var listing = new PipelineListing(fetch, 100);

            Assert.Equal(300, (await ReadAll(listing)).Count);
            Assert.Null(listing.Anomaly);
            Assert.Equal(new[] { 1, 2, 3, 4 }, asked.OrderBy(n => n));
        }

        [Fact]
        public async Task The_time_spent_waiting_for_pages_is_bounded()
        {
            var never = new TaskCompletionSource<PipelinePage>();
            CancellationToken seen = default;
            var listing = new PipelineListing((pageNo, size, token) =>
            {
                seen = token;
                return pageNo == 1
                    ? Task.FromResult(new PipelinePage(new List<Pipeline> { new Pipeline { PipelineId = "a" } }, 5))
                    : never.Task;
            }, 1, budget: TimeSpan.FromSeconds(2), prefetch: false); // room for page 1 on a busy machine
            Assert.Single((await listing.NextPageAsync(CancellationToken.None))!);

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<EnosTransportException>(() => listing.NextPageAsync(CancellationToken.None));

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
            Assert.True(seen.IsCancellationRequested); // the page in flight is abandoned
        }

        [Fact]
        public async Task Time_the_caller_spends_between_pages_does_not_count()
        {
            var (fetch, _) = Service(total: 3, cap: 1);
            var listing = new PipelineListing(fetch, 1, budget: TimeSpan.FromSeconds(1));

            Assert.NotNull(await listing.NextPageAsync(CancellationToken.None));
            await Task.Delay(2000); // a slow consumer downstream, twice the budget
            Assert.NotNull(await listing.NextPageAsync(CancellationToken.None));
        }

        [Fact]
        public async Task Without_prefetch_no_page_is_read_before_it_is_asked_for()
        {
            var (fetch, asked) = Service(total: 1000, cap: 100);
            var listing = new PipelineListing(fetch, 100, prefetch: false);

            await listing.NextPageAsync(CancellationToken.None);

            Assert.Single(asked);
        }

        /// <summary>
        /// A service whose pages take time, each its own (<see cref="DelayMs"/>), so that pages
        /// answer out of order; it counts the pages in flight and can repeat pages or fail one.
        /// </summary>
        private sealed class SlowService
        {
            private int _inFlight;
            private int _peak;

            public int Total { get; set; }
            public int? Count { get; set; }
            public int Cap { get; set; } = 100;
            public Func<int, int> DelayMs { get; set; } = _ => 20;
            public int? RepeatFrom { get; set; }
            public int Overlap { get; set; }
            public int? FailOnceAt { get; set; }
            public List<int> Asked { get; } = new List<int>();
            public List<CancellationToken> Tokens { get; } = new List<CancellationToken>();
            public int Peak => Volatile.Read(ref _peak);

            public async Task<PipelinePage> Fetch(int pageNo, int pageSize, CancellationToken token)
            {
                lock (Asked)
                {
                    Asked.Add(pageNo);
                    Tokens.Add(token);
                }

                var now = Interlocked.Increment(ref _inFlight);
                int peak;
                while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
                {
                }

                try
                {
                    await Task.Delay(DelayMs(pageNo), token);
                    if (FailOnceAt == pageNo)
                    {
                        FailOnceAt = null;
                        throw new EnosTransportException("page lost", TransportFailure.Unreachable, null, null);
                    }

                    var size = Math.Min(pageSize, Cap);
                    var effective = RepeatFrom.HasValue && pageNo >= RepeatFrom ? RepeatFrom.Value - 1 : pageNo;
                    var start = (effective - 1) * (size - Overlap);
                    var items = Enumerable.Range(start, size).Where(i => i < Total).Select(i => new Pipeline { PipelineId = $"pl-{i}" }).ToList();
                    return new PipelinePage(items, Count ?? Total);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }

        private static IEnumerable<string> Ids(int count) => Enumerable.Range(0, count).Select(i => $"pl-{i}");

        [Fact]
        public async Task Once_the_count_is_known_pages_are_read_several_at_once_and_returned_in_page_order()
        {
            // Later pages answer first: 40 pages, page n takes (45 - n) * 2 ms.
            var service = new SlowService { Total = 4000, DelayMs = pageNo => (45 - pageNo) * 2 };
            var listing = new PipelineListing(service.Fetch, 100);

            var ids = await ReadAll(listing);

            Assert.Equal(Ids(4000), ids);
            Assert.InRange(service.Peak, 4, PipelineListing.MaxPagesInFlight); // several at once, and bounded
            // Each page once, and only the empty page past the count (a full last page may have a next one).
            Assert.Equal(Enumerable.Range(1, 41), service.Asked.OrderBy(n => n));
            Assert.Null(listing.Anomaly);
        }

        [Fact]
        public async Task Pages_of_equal_speed_are_read_as_many_at_once_as_allowed()
        {
            // The speed this buys is measured by ./build.ps1 Bench -Scenario Listing, not here: a test
            // timed by the clock fails on a busy machine. What makes it fast is the number in flight.
            var service = new SlowService { Total = 4000, DelayMs = _ => 200 };

            Assert.Equal(4000, (await new PipelineListing(service.Fetch, 100).ReadAllAsync(CancellationToken.None)).Count);

            Assert.Equal(PipelineListing.MaxPagesInFlight, service.Peak);
        }

        [Fact]
        public async Task Without_a_count_pages_are_read_one_after_another()
        {
            var service = new SlowService { Total = 950, DelayMs = pageNo => 5 };
            var listing = new PipelineListing((pageNo, size, token) =>
                service.Fetch(pageNo, size, token).ContinueWith(t => new PipelinePage(t.Result.Pipelines, null), TaskContinuationOptions.ExecuteSynchronously), 100);

            Assert.Equal(Ids(950), await ReadAll(listing));
            Assert.True(service.Peak <= 2, $"{service.Peak} pages at once"); // the page read and the one prefetched
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Overlapping_pages_read_at_once_still_give_each_pipeline_once_in_order(bool laterPagesFirst)
        {
            var service = new SlowService { Total = 950, Overlap = 20, DelayMs = pageNo => laterPagesFirst ? (20 - pageNo % 20) * 2 : 5 };
            var listing = new PipelineListing(service.Fetch, 100);

            Assert.Equal(Ids(950), await ReadAll(listing));
            Assert.Null(listing.Anomaly);
        }

        [Fact]
        public async Task A_repeating_page_ends_the_listing_in_page_order_even_when_later_pages_arrive_first()
        {
            var service = new SlowService { Total = 300, Count = 1_000_000, RepeatFrom = 3, DelayMs = pageNo => pageNo <= 2 ? 5 : (20 - pageNo) * 4 };
            var listing = new PipelineListing(service.Fetch, 100);

            var ids = await ReadAll(listing);

            Assert.Equal(Ids(200), ids);
            Assert.Contains("page 3 repeated", listing.Anomaly);
            Assert.True(service.Asked.Count <= 2 + PipelineListing.MaxPagesInFlight, $"asked {service.Asked.Count} pages");
            Assert.All(service.Tokens, token => Assert.True(token.IsCancellationRequested)); // the pages fetched ahead are given up
        }

        [Fact]
        public async Task A_count_below_the_truth_is_read_past_in_page_order()
        {
            var service = new SlowService { Total = 1000, Count = 250 };
            var listing = new PipelineListing(service.Fetch, 100);

            var ids = await ReadAll(listing);

            Assert.Equal(Ids(1000), ids);
            Assert.Equal(Enumerable.Range(1, 11), service.Asked.OrderBy(n => n).Take(11));
            Assert.True(service.Asked.Count <= 11 + PipelineListing.MaxPagesInFlight, $"asked {service.Asked.Count} pages");
            Assert.All(service.Tokens, token => Assert.True(token.IsCancellationRequested)); // the pages read past the end are given up
            Assert.Contains("said 250", listing.Anomaly);
        }

        [Fact]
        public async Task A_count_above_the_truth_ends_at_the_first_empty_page_and_cancels_the_rest()
        {
            var service = new SlowService { Total = 250, Count = 2000, DelayMs = pageNo => pageNo == 4 ? 5 : 100 };
            var listing = new PipelineListing(service.Fetch, 100);

            Assert.Equal(Ids(250), await ReadAll(listing));
            Assert.Contains("said 2000", listing.Anomaly);
            // Pages 1 to 4 checked, and at most the pages fetched ahead of page 4.
            Assert.True(service.Asked.Count <= 3 + PipelineListing.MaxPagesInFlight, $"asked {service.Asked.Count} pages");
            Assert.All(service.Tokens, token => Assert.True(token.IsCancellationRequested));
        }

        [Fact]
        public async Task Cancelling_the_caller_cancels_every_page_in_flight()
        {
            var service = new SlowService { Total = 5000, DelayMs = pageNo => pageNo == 1 ? 0 : Timeout.Infinite };
            var listing = new PipelineListing(service.Fetch, 100);
            using var caller = new CancellationTokenSource();
            await listing.NextPageAsync(caller.Token);

            var second = listing.NextPageAsync(caller.Token);
            Assert.InRange(service.Peak, 4, PipelineListing.MaxPagesInFlight);
            caller.CancelAfter(50);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
            Assert.All(service.Tokens, token => Assert.True(token.IsCancellationRequested));
        }

        [Fact]
        public async Task The_time_budget_bounds_a_listing_read_several_pages_at_once()
        {
            // Room enough in the budget for pages 1 to 3 on a busy machine (500 ms once was not).
            var service = new SlowService { Total = 5000, DelayMs = pageNo => pageNo < 4 ? 5 : Timeout.Infinite };
            var listing = new PipelineListing(service.Fetch, 100, budget: TimeSpan.FromSeconds(3));
            var watch = System.Diagnostics.Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => ReadAll(listing));

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.Equal(300, listing.Received);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
            Assert.All(service.Tokens, token => Assert.True(token.IsCancellationRequested));
        }

        [Fact]
        public async Task A_page_that_failed_is_asked_for_again_and_the_listing_goes_on_in_order()
        {
            var service = new SlowService { Total = 1000, FailOnceAt = 4 };
            var listing = new PipelineListing(service.Fetch, 100);
            var ids = new List<string>();

            await Assert.ThrowsAsync<EnosTransportException>(async () => ids.AddRange(await ReadAll(listing)));
            Assert.Equal(300, listing.Received);
            IReadOnlyList<Pipeline>? page;
            while ((page = await listing.NextPageAsync(CancellationToken.None)) != null)
            {
                ids.AddRange(page.Select(p => p.PipelineId));
            }

            Assert.Equal(Ids(1000).Skip(300), ids);
            Assert.Equal(2, service.Asked.Count(n => n == 4));
            Assert.Equal(1, service.Asked.Count(n => n == 5));
        }
    }
}
