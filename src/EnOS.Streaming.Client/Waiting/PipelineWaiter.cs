using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Waiting
{
    /// <summary>Waits for pipelines to reach a status, each poll one listing per organisation, each outcome reported as soon as it is known.</summary>
    /// <remarks>Tests give a listing, a delay and a clock of their own (null: Task.Delay and a stopwatch).</remarks>
    internal sealed class PipelineWaiter(ListOrganisation list, Func<TimeSpan, CancellationToken, Task>? delay, Func<TimeSpan>? elapsed)
    {
        private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;
        private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

        private TimeSpan Elapsed => elapsed?.Invoke() ?? _stopwatch.Elapsed;

        /// <summary>A waiter that polls through <paramref name="client"/>'s connection (its listing logs each page).</summary>
        public PipelineWaiter(StreamingClient client)
            : this(ListedPipelines.Through(client), null, null)
        {
        }

        /// <summary>Polls until each pipeline is <paramref name="target"/>, has failed or the time is up; cancelling reports the rest Cancelled.</summary>
        public async Task<IReadOnlyList<WaitOutcome>> WaitAsync(
            IEnumerable<(string OrgId, string PipelineId)> pipelines, PipelineStatus target, TimeSpan timeout, TimeSpan pollInterval,
            Action<WaitOutcome>? onOutcome, Action<WaitProgress>? onProgress, CancellationToken cancellationToken)
        {
            if (target == PipelineStatus.Unknown || target == PipelineStatus.Failed)
            {
                throw new ArgumentOutOfRangeException(nameof(target), target, "A wait is for Running, Paused, Stopped or Published.");
            }

            var waiting = new Dictionary<(string OrgId, string PipelineId), Pipeline?>();
            foreach (var pipeline in pipelines)
            {
                waiting[pipeline] = null;
            }

            var outcomes = new List<WaitOutcome>();
            var start = Elapsed;
            var poll = 0;
            try
            {
                while (waiting.Count > 0)
                {
                    poll++;
                    var calls = 0;
                    var outOfTime = false;

                    // A listing that answers slowly or never must not hold the wait past its
                    // timeout: the poll gets only what is left of it.
                    using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        budget.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (timeout - (Elapsed - start)).Ticks)));
                        try
                        {
                            foreach (var orgId in waiting.Keys.Select(key => key.OrgId).Distinct(StringComparer.Ordinal).ToList())
                            {
                                calls += await PollAsync(orgId, target, waiting, Decide, budget.Token).ConfigureAwait(false);
                            }
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            outOfTime = true;
                        }
                    }

                    var failed = outcomes.Count(outcome => outcome.Result != WaitResult.Reached);
                    onProgress?.Invoke(new WaitProgress(poll, calls, outcomes.Count - failed, failed, waiting.Count, Elapsed - start));
                    var left = timeout - (Elapsed - start);
                    if (waiting.Count == 0 || left <= TimeSpan.Zero || outOfTime)
                    {
                        break;
                    }

                    await _delay(left < pollInterval ? left : pollInterval, cancellationToken).ConfigureAwait(false);
                }

                EndAll(WaitResult.TimedOut);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                EndAll(WaitResult.Cancelled);
            }

            return outcomes;

            void Decide((string OrgId, string PipelineId) key, WaitResult result, Pipeline? last)
            {
                waiting.Remove(key);
                var outcome = new WaitOutcome(key.OrgId, key.PipelineId, result, last, Elapsed - start);
                outcomes.Add(outcome);
                onOutcome?.Invoke(outcome);
            }

            void EndAll(WaitResult result)
            {
                foreach (var pair in waiting.ToList())
                {
                    Decide(pair.Key, result, pair.Value);
                }
            }
        }

        /// <summary>One listing of one organisation; decides what it can. Returns the pages it read.</summary>
        private async Task<int> PollAsync(string orgId, PipelineStatus target, Dictionary<(string OrgId, string PipelineId), Pipeline?> waiting,
            Action<(string, string), WaitResult, Pipeline?> decide, CancellationToken cancellationToken)
        {
            ListedPipelines listed;
            try
            {
                listed = await list(orgId, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosTransportException exception) when (exception.IsTransient)
            {
                // Failing through the client's retries: the next poll tries again (a poll of 0 calls).
                return 0;
            }

            var byId = listed.ById();
            foreach (var key in waiting.Keys.Where(key => key.OrgId == orgId).ToList())
            {
                if (!byId.TryGetValue(key.PipelineId, out var pipeline))
                {
                    if (listed.Complete)
                    {
                        decide(key, WaitResult.NotListed, waiting[key]);
                    }

                    continue;
                }

                waiting[key] = pipeline;
                if (pipeline.Status == target)
                {
                    decide(key, WaitResult.Reached, pipeline);
                }
                else if (pipeline.Status == PipelineStatus.Failed)
                {
                    decide(key, WaitResult.Failed, pipeline);
                }
            }

            return listed.Pages;
        }
    }
}
