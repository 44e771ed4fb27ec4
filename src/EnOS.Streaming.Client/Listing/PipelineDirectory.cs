using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming
{
    /// <summary>
    /// A command's one snapshot of an organisation's pipelines (status checks, -PassThru, hints, names), as the details have no status.
    /// Pages are read only while a pipeline not yet seen is wanted; a status older than <see cref="MaxAge"/> is read again.
    /// </summary>
    /// <param name="client">Lists the pipelines.</param>
    /// <param name="utcNow">The clock that ages statuses (tests pass their own).</param>
    internal sealed class PipelineDirectory(StreamingClient client, Func<DateTimeOffset>? utcNow = null)
    {
        /// <summary>How old a listed status may be and still decide what is sent.</summary>
        public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

        private readonly Func<DateTimeOffset> _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
        private readonly ConcurrentDictionary<string, OrgListing> _byOrg = new ConcurrentDictionary<string, OrgListing>(StringComparer.Ordinal);

        // Each organisation's ordinary pipelines (isSystem=false: a listing with them may not mark them), listed whole, and when.
        private readonly Dictionary<string, Task<Ordinary>> _ordinary = new Dictionary<string, Task<Ordinary>>(StringComparer.Ordinal);

        /// <summary>The pipeline as listed at most MaxAge ago, or null; throws when the listing fails or ends early, since then absence proves nothing.</summary>
        public async Task<Pipeline?> FindAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default)
        {
            var org = _byOrg.GetOrAdd(orgId, _ => new OrgListing());
            await org.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var restarted = false;
                while (true)
                {
                    var now = _utcNow();
                    var known = org.Seen.TryGetValue(pipelineId, out var entry);
                    // A status read by the listing this call started is as fresh as it can be.
                    if (known && (now - entry.ReadAt <= MaxAge || (restarted && entry.ReadAt >= org.StartedAt)))
                    {
                        return entry.Pipeline;
                    }

                    // A listing past this pipeline, or complete but too old to prove its absence, starts again (once per call).
                    var passed = known && entry.ReadAt >= org.StartedAt;
                    if (!restarted && (org.Listing == null || passed || (org.Complete && now - org.StartedAt > MaxAge)))
                    {
                        org.Restart(client.ListPipelines(orgId, includeSystem: true, prefetch: false), now);
                        restarted = true;
                    }
                    else if (org.Complete)
                    {
                        var anomaly = org.Listing!.Anomaly;
                        return anomaly == null ? null : throw new EnosTransportException(
                            $"its status is unknown, because the listing of organisation '{orgId}' ended early ({anomaly})", null, null,
                            TransportFailure.InvalidResponse, null, null);
                    }

                    await ReadNextPageAsync(org, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                org.Gate.Release();
            }
        }

        /// <summary>Every pipeline of the organisation this directory has listed so far (all of them once a search found nothing).</summary>
        public async Task<IReadOnlyList<Pipeline>> ListedAsync(string orgId, CancellationToken cancellationToken = default)
        {
            var org = _byOrg.GetOrAdd(orgId, _ => new OrgListing());
            await org.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return org.Seen.Values.Select(entry => entry.Pipeline).ToList();
            }
            finally
            {
                org.Gate.Release();
            }
        }

        /// <summary>At most <paramref name="atMost"/> ordinary pipelines from a whole listing at most <paramref name="maxAge"/> old, and when it was read.</summary>
        public Task<Ordinary> OrdinaryAsync(string orgId, TimeSpan maxAge, int atMost, CancellationToken cancellationToken = default)
        {
            Task<Ordinary> listing;
            lock (_ordinary)
            {
                if (!_ordinary.TryGetValue(orgId, out listing!) || listing.IsFaulted || listing.IsCanceled
                    || (listing.Status == TaskStatus.RanToCompletion && _utcNow() - listing.Result.ListedAt > maxAge))
                {
                    // The first caller's token lists for everyone.
                    _ordinary[orgId] = listing = ListOrdinaryAsync(orgId, atMost, cancellationToken);
                }
            }

            return listing;
        }

        /// <summary>The ordinary pipelines named exactly <paramref name="name"/>; an inconsistent listing throws: it proves no name missing or unique.</summary>
        public async Task<IReadOnlyList<Pipeline>> NamedAsync(string orgId, string name, CancellationToken cancellationToken = default)
        {
            var listing = await OrdinaryAsync(orgId, TimeSpan.MaxValue, int.MaxValue, cancellationToken).ConfigureAwait(false);
            if (listing.Anomaly != null)
            {
                throw new EnosTransportException(
                    $"The listing of organisation '{orgId}' was inconsistent ({listing.Anomaly}), so pipelines cannot be matched by name.",
                    TransportFailure.InvalidResponse, null, null);
            }

            return listing.Pipelines.Where(pipeline => string.Equals(pipeline.Name ?? string.Empty, name, StringComparison.Ordinal)).ToList();
        }

        /// <summary>Notes a pipeline the command created, so that a second definition of its name finds it.</summary>
        public void Add(string orgId, Pipeline pipeline)
        {
            lock (_ordinary)
            {
                if (_ordinary.TryGetValue(orgId, out var listing) && listing.Status == TaskStatus.RanToCompletion)
                {
                    var old = listing.Result;
                    _ordinary[orgId] = Task.FromResult(old with { Pipelines = old.Pipelines.Concat(new[] { pipeline }).ToList() });
                }
            }
        }

        /// <summary>For -PassThru on a bare id: as listed, else from its details; never fails, as the change itself succeeded.</summary>
        public async Task<Pipeline> DescribeAsync(string orgId, string pipelineId, CancellationToken cancellationToken)
        {
            try
            {
                var listed = await FindAsync(orgId, pipelineId, cancellationToken).ConfigureAwait(false);
                if (listed != null)
                {
                    return listed;
                }

                var details = await client.GetPipelineAsync(orgId, pipelineId, cancellationToken).ConfigureAwait(false);
                return new Pipeline
                {
                    PipelineId = details.PipelineId ?? pipelineId,
                    Name = details.Name,
                    OrgId = orgId,
                    Version = details.Version,
                    TemplateType = details.TemplateType,
                };
            }
            catch (EnosException)
            {
                return new Pipeline { PipelineId = pipelineId, OrgId = orgId };
            }
        }

        private async Task<Ordinary> ListOrdinaryAsync(string orgId, int atMost, CancellationToken cancellationToken)
        {
            using (var listing = client.ListPipelines(orgId, includeSystem: false))
            {
                var pipelines = await listing.ReadAllAsync(cancellationToken, atMost).ConfigureAwait(false);
                return new Ordinary(pipelines, _utcNow(), listing.Anomaly);
            }
        }

        /// <summary>Reads the organisation's next listing page into what it has seen, or marks the listing complete.</summary>
        private async Task ReadNextPageAsync(OrgListing org, CancellationToken cancellationToken)
        {
            IReadOnlyList<Pipeline>? page;
            try
            {
                page = await org.Listing!.NextPageAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                org.Forget();
                throw;
            }

            // A listing ended by cancellation proves no absence.
            cancellationToken.ThrowIfCancellationRequested();
            if (page == null)
            {
                org.Complete = true;
                return;
            }

            var readAt = _utcNow();
            foreach (var pipeline in page)
            {
                org.Seen[pipeline.PipelineId] = new Entry(pipeline, readAt);
            }
        }

        private readonly record struct Entry(Pipeline Pipeline, DateTimeOffset ReadAt);

        /// <summary>A whole listing of the ordinary pipelines, when it was read, and why it ended early (or null).</summary>
        internal sealed record Ordinary(IReadOnlyList<Pipeline> Pipelines, DateTimeOffset ListedAt, string? Anomaly);

        /// <summary>One organisation's listing in progress and what it has found; used under its gate.</summary>
        private sealed class OrgListing
        {
            public SemaphoreSlim Gate { get; } = new SemaphoreSlim(1, 1);
            public Dictionary<string, Entry> Seen { get; } = new Dictionary<string, Entry>(StringComparer.Ordinal);
            public PipelineListing? Listing { get; private set; }
            public DateTimeOffset StartedAt { get; private set; }
            public bool Complete { get; set; }

            public void Restart(PipelineListing listing, DateTimeOffset now)
            {
                Listing?.Dispose();
                Listing = listing;
                StartedAt = now;
                Complete = false;
            }

            public void Forget()
            {
                Listing?.Dispose();
                Listing = null;
                Complete = false;
            }
        }
    }
}
