using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming
{
    /// <summary>
    /// The pipelines of an organisation as the service lists them, shared by one command: the
    /// API's details have no status, so a resume or a start finds each pipeline's current status
    /// here. It reads listing pages only while someone waits for a pipeline it has not seen yet,
    /// so a command on a few pipelines reads a few pages, not the whole organisation; and it never
    /// answers with a status older than <see cref="MaxAge"/>: an older one is read again.
    /// </summary>
    internal sealed class PipelineDirectory
    {
        /// <summary>How old a listed status may be and still decide what is sent.</summary>
        public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

        private readonly StreamingClient _client;
        private readonly Func<DateTimeOffset> _utcNow;
        private readonly ConcurrentDictionary<string, OrgListing> _byOrg = new ConcurrentDictionary<string, OrgListing>(StringComparer.Ordinal);

        /// <param name="client">Lists the pipelines.</param>
        /// <param name="utcNow">The clock that ages statuses (tests pass their own).</param>
        public PipelineDirectory(StreamingClient client, Func<DateTimeOffset>? utcNow = null)
        {
            _client = client;
            _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>How many listing pages this directory has read, for -Verbose and tests.</summary>
        public int PagesRead => Volatile.Read(ref _pagesRead);

        private int _pagesRead;

        /// <summary>
        /// The pipeline as listed at most <see cref="MaxAge"/> ago, or null when a complete listing
        /// read within that time does not have it. Throws when the listing cannot be read, or ended
        /// early (an inconsistent service), since then absence proves nothing.
        /// </summary>
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

                    // A listing that has already passed this pipeline, or is complete but too old
                    // to prove its absence, must start again (once per call).
                    var passed = known && entry.ReadAt >= org.StartedAt;
                    if (!restarted && (org.Listing == null || passed || (org.Complete && now - org.StartedAt > MaxAge)))
                    {
                        org.Restart(_client.ListPipelines(orgId, includeSystem: true, prefetch: false), now);
                        restarted = true;
                    }
                    else if (org.Complete)
                    {
                        return org.Listing!.Anomaly == null ? null : throw Incomplete(orgId, pipelineId, org.Listing.Anomaly);
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
            Interlocked.Increment(ref _pagesRead);
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

        private static EnosTransportException Incomplete(string orgId, string pipelineId, string anomaly) =>
            new EnosTransportException(
                $"its status is unknown, because the listing of organisation '{orgId}' ended early ({anomaly})", null, null,
                TransportFailure.InvalidResponse, null, null);

        private readonly struct Entry
        {
            public Entry(Pipeline pipeline, DateTimeOffset readAt)
            {
                Pipeline = pipeline;
                ReadAt = readAt;
            }

            public Pipeline Pipeline { get; }
            public DateTimeOffset ReadAt { get; }
        }

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
