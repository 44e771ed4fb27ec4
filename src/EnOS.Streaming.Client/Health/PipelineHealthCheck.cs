using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Waiting;
using EnOS.Streaming.Model;

namespace EnOS.Streaming.Health
{
    /// <summary>Status from one listing per organisation and, when running, lag sampled twice an interval apart, judged by <see cref="PipelineHealth.Judge"/>.</summary>
    /// <remarks>Tests give a listing, a lag reader and a delay of their own (null: Task.Delay).</remarks>
    internal sealed class PipelineHealthCheck(ListOrganisation list, Func<string, string, CancellationToken, Task<IReadOnlyList<PipelinePartitionLag>>> lag,
        Func<TimeSpan, CancellationToken, Task>? delay)
    {
        private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

        public PipelineHealthCheck(StreamingClient client)
            : this(ListedPipelines.Through(client), client.GetOffsetLagAsync, null)
        {
        }

        /// <summary>At most <paramref name="parallel"/> lag calls at once; each pipeline ends in one <paramref name="onHealth"/> or <paramref name="onError"/>.</summary>
        public async Task CheckAsync(IEnumerable<(string OrgId, string PipelineId)> pipelines, TimeSpan interval, int parallel,
            Action<PipelineHealth> onHealth, Action<(string OrgId, string PipelineId), Exception> onError, CancellationToken cancellationToken)
        {
            var running = new List<PipelineHealth>();
            foreach (var org in pipelines.Distinct().GroupBy(pipeline => pipeline.OrgId, StringComparer.Ordinal).ToList())
            {
                var listed = await list(org.Key, cancellationToken).ConfigureAwait(false);
                var byId = listed.ById();
                foreach (var key in org)
                {
                    if (!byId.TryGetValue(key.PipelineId, out var pipeline))
                    {
                        onError(key, new PipelineNotListedException(key.PipelineId, key.OrgId));
                        continue;
                    }

                    var health = new PipelineHealth
                    {
                        PipelineId = key.PipelineId,
                        Name = pipeline.Name,
                        OrgId = key.OrgId,
                        Status = pipeline.StatusText ?? PipelineStatusText.ToApiText(pipeline.Status),
                        Interval = interval,
                    };
                    if (pipeline.Status == PipelineStatus.Running)
                    {
                        running.Add(health);
                    }
                    else
                    {
                        health.Verdict = PipelineHealth.Judge(health.Status, null, null);
                        onHealth(health);
                    }
                }
            }

            using (var throttle = new SemaphoreSlim(parallel))
            {
                running = await SampleAsync(running, (health, lag) => health.LagBefore = lag, throttle, onError, cancellationToken).ConfigureAwait(false);
                if (running.Count > 0)
                {
                    await _delay(interval, cancellationToken).ConfigureAwait(false);
                }

                running = await SampleAsync(running, (health, lag) => health.LagAfter = lag, throttle, onError, cancellationToken).ConfigureAwait(false);
            }

            foreach (var health in running)
            {
                health.Verdict = PipelineHealth.Judge(health.Status, health.LagBefore, health.LagAfter);
                onHealth(health);
            }
        }

        /// <summary>One lag sample of each pipeline; returns those that answered (the others went to <paramref name="onError"/>).</summary>
        private async Task<List<PipelineHealth>> SampleAsync(List<PipelineHealth> pipelines, Action<PipelineHealth, long> record, SemaphoreSlim throttle,
            Action<(string OrgId, string PipelineId), Exception> onError, CancellationToken cancellationToken)
        {
            var samples = await Task.WhenAll(pipelines.Select(async health =>
            {
                await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var partitions = await lag(health.OrgId!, health.PipelineId, cancellationToken).ConfigureAwait(false);
                    record(health, partitions.Sum(partition => partition.Lag ?? 0));
                    return (Health: health, Error: (Exception?)null);
                }
                catch (EnosException exception)
                {
                    return (Health: health, Error: exception);
                }
                finally
                {
                    throttle.Release();
                }
            })).ConfigureAwait(false);
            foreach (var sample in samples.Where(sample => sample.Error != null))
            {
                onError((sample.Health.OrgId!, sample.Health.PipelineId), sample.Error!);
            }

            return samples.Where(sample => sample.Error == null).Select(sample => sample.Health).ToList();
        }
    }
}
