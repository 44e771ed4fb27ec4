using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Health;
using EnOS.Streaming.Model;
using EnOS.Streaming.Waiting;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public class PipelineWaiterTests
    {
        private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

        /// <summary>
        /// A service whose listing shows, at poll n (from 1), the statuses of <paramref name="script"/>[n-1]
        /// (the last one from then on), and a clock that only moves when the waiter waits.
        /// </summary>
        private sealed class Scripted
        {
            private readonly Dictionary<string, string>[] _script;
            private TimeSpan _now;

            public Scripted(params Dictionary<string, string>[] script) => _script = script;

            public List<string> Listed { get; } = new List<string>();

            public Func<CancellationToken, Task>? BeforeList { get; set; }

            public PipelineWaiter Waiter() => new PipelineWaiter(ListAsync, DelayAsync, () => _now);

            private async Task<ListedPipelines> ListAsync(string orgId, CancellationToken cancellationToken)
            {
                if (BeforeList != null)
                {
                    await BeforeList(cancellationToken);
                }

                Listed.Add(orgId);
                var poll = Listed.Count(org => org == orgId);
                var statuses = _script[Math.Min(poll, _script.Length) - 1];
                var pipelines = statuses.Select(pair => new Pipeline
                {
                    PipelineId = pair.Key,
                    OrgId = orgId,
                    Status = PipelineStatusText.Parse(pair.Value),
                    StatusText = pair.Value,
                }).ToList();
                return new ListedPipelines(pipelines, 1, true);
            }

            private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _now += delay;
                return Task.CompletedTask;
            }
        }

        private static Dictionary<string, string> Statuses(params (string Id, string Status)[] pairs) => pairs.ToDictionary(p => p.Id, p => p.Status);

        private static (string, string)[] Ids(params string[] ids) => ids.Select(id => ("o1", id)).ToArray();

        [Fact]
        public async Task Reports_each_pipeline_at_the_poll_that_shows_it_in_the_status()
        {
            var service = new Scripted(
                Statuses(("a", "STARTING"), ("b", "STARTING")),
                Statuses(("a", "RUNNING"), ("b", "STARTING")),
                Statuses(("a", "RUNNING"), ("b", "RUNNING")));
            var seen = new List<(string Id, int Poll)>();
            var progress = new List<WaitProgress>();

            var outcomes = await service.Waiter().WaitAsync(Ids("a", "b"), PipelineStatus.Running, TimeSpan.FromMinutes(5), Poll,
                outcome => seen.Add((outcome.PipelineId, service.Listed.Count)), progress.Add, CancellationToken.None);

            Assert.Equal(new[] { ("a", 2), ("b", 3) }, seen);
            Assert.All(outcomes, outcome => Assert.Equal(WaitResult.Reached, outcome.Result));
            Assert.Equal("RUNNING", outcomes[0].LastStatus);
            Assert.Equal(new[] { 2, 1, 0 }, progress.Select(p => p.Waiting));
            Assert.Equal(3, service.Listed.Count); // one listing per poll for the whole set
        }

        [Fact]
        public async Task A_failed_status_ends_that_pipelines_wait_at_once_and_unknown_statuses_keep_it_waiting()
        {
            var service = new Scripted(
                Statuses(("a", "FAILED"), ("b", "WARMING_UP")),
                Statuses(("a", "FAILED"), ("b", "RUNNING")));

            var outcomes = await service.Waiter().WaitAsync(Ids("a", "b"), PipelineStatus.Running, TimeSpan.FromMinutes(5), Poll,
                null, null, CancellationToken.None);

            Assert.Equal(WaitResult.Failed, outcomes.Single(o => o.PipelineId == "a").Result);
            Assert.Equal("FAILED", outcomes.Single(o => o.PipelineId == "a").LastStatus);
            Assert.Equal(WaitResult.Reached, outcomes.Single(o => o.PipelineId == "b").Result);
        }

        [Fact]
        public async Task At_the_timeout_each_pipeline_still_waiting_is_reported_with_the_status_last_seen()
        {
            var service = new Scripted(Statuses(("a", "STARTING"), ("b", "RUNNING")));

            var outcomes = await service.Waiter().WaitAsync(Ids("a", "b"), PipelineStatus.Running, TimeSpan.FromSeconds(12), Poll,
                null, null, CancellationToken.None);

            var a = outcomes.Single(o => o.PipelineId == "a");
            Assert.Equal(WaitResult.TimedOut, a.Result);
            Assert.Equal("STARTING", a.LastStatus);
            Assert.Equal(TimeSpan.FromSeconds(12), a.Elapsed); // polls at 0, 5, 10 and a last one at 12
            Assert.Equal(4, service.Listed.Count);
        }

        [Fact]
        public async Task A_listing_that_never_answers_ends_the_wait_at_its_timeout_with_the_status_last_seen()
        {
            // The first poll answers; from the second on the listing hangs until cancelled. The
            // clock is the test's, so only the poll's own budget (what is left of the timeout, in
            // real time) can end the wait.
            var service = new Scripted(Statuses(("a", "STARTING")));
            service.BeforeList = token => service.Listed.Count == 0 ? Task.CompletedTask : Task.Delay(Timeout.Infinite, token);

            var outcomes = await service.Waiter().WaitAsync(Ids("a"), PipelineStatus.Running, TimeSpan.FromMilliseconds(5200),
                TimeSpan.FromSeconds(5), null, null, CancellationToken.None);

            var a = Assert.Single(outcomes);
            Assert.Equal(WaitResult.TimedOut, a.Result);
            Assert.Equal("STARTING", a.LastStatus);
        }

        [Fact]
        public async Task A_pipeline_a_complete_listing_lacks_is_not_listed_and_each_organisation_is_listed_once_a_poll()
        {
            var service = new Scripted(Statuses(("a", "STARTING"), ("b", "RUNNING")), Statuses(("a", "RUNNING"), ("b", "RUNNING")));
            var pipelines = new[] { ("o1", "a"), ("o1", "gone"), ("o2", "b") };

            var outcomes = await service.Waiter().WaitAsync(pipelines, PipelineStatus.Running, TimeSpan.FromMinutes(5), Poll,
                null, null, CancellationToken.None);

            Assert.Equal(WaitResult.NotListed, outcomes.Single(o => o.PipelineId == "gone").Result);
            Assert.Equal(3, outcomes.Count);
            Assert.Equal(new[] { "o1", "o2", "o1" }, service.Listed); // o2 done after the first poll
        }

        [Fact]
        public async Task Cancelling_ends_the_wait_at_once_and_reports_what_was_still_waiting()
        {
            using var cancel = new CancellationTokenSource();
            var service = new Scripted(Statuses(("a", "RUNNING"), ("b", "STARTING")));
            service.BeforeList = async token =>
            {
                if (service.Listed.Count == 1)
                {
                    cancel.Cancel();
                    await Task.Delay(Timeout.Infinite, token);
                }
            };

            var outcomes = await service.Waiter().WaitAsync(Ids("a", "b"), PipelineStatus.Running, TimeSpan.FromMinutes(5), Poll,
                null, null, cancel.Token);

            Assert.Equal(WaitResult.Reached, outcomes.Single(o => o.PipelineId == "a").Result);
            var b = outcomes.Single(o => o.PipelineId == "b");
            Assert.Equal(WaitResult.Cancelled, b.Result);
            Assert.Equal("STARTING", b.LastStatus);
        }

        [Theory]
        [InlineData("RUNNING", 300L, 200L, HealthVerdict.Draining)]
        [InlineData("RUNNING", 300L, 400L, HealthVerdict.Growing)]
        [InlineData("RUNNING", 300L, 300L, HealthVerdict.Healthy)]
        [InlineData("RUNNING", 0L, 0L, HealthVerdict.Healthy)]
        [InlineData("FAILED", null, null, HealthVerdict.Failed)]
        [InlineData("PAUSED", null, null, HealthVerdict.NotRunning)]
        [InlineData("STARTING", null, null, HealthVerdict.NotRunning)]
        public void Judges_health_from_the_status_and_two_lag_samples(string status, long? before, long? after, HealthVerdict verdict) =>
            Assert.Equal(verdict, PipelineHealth.Judge(status, before, after));
    }
}
