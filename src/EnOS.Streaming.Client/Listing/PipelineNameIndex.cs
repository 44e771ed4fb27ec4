using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming
{
    /// <summary>
    /// The pipelines of each organisation by name, listed once per organisation and shared by one
    /// command: how a definition from another organisation finds its pipeline there. Names are
    /// matched exactly (ordinal); a name that two pipelines share matches neither.
    /// </summary>
    internal sealed class PipelineNameIndex
    {
        private readonly StreamingClient _client;
        private readonly Dictionary<string, Lazy<Task<ILookup<string, Pipeline>>>> _byOrg =
            new Dictionary<string, Lazy<Task<ILookup<string, Pipeline>>>>(StringComparer.Ordinal);

        public PipelineNameIndex(StreamingClient client)
        {
            _client = client;
        }

        /// <summary>The ordinary (non-system) pipelines of <paramref name="orgId"/> named exactly <paramref name="name"/>.</summary>
        public async Task<IReadOnlyList<Pipeline>> FindAsync(string orgId, string name, CancellationToken cancellationToken = default)
        {
            Lazy<Task<ILookup<string, Pipeline>>> listing;
            lock (_byOrg)
            {
                if (!_byOrg.TryGetValue(orgId, out listing!) || listing.Value.IsFaulted || listing.Value.IsCanceled)
                {
                    // The first caller's token lists for everyone; a failed listing is tried again by the next caller.
                    listing = new Lazy<Task<ILookup<string, Pipeline>>>(() => ListAsync(orgId, cancellationToken));
                    _byOrg[orgId] = listing;
                }
            }

            var byName = await listing.Value.ConfigureAwait(false);
            return byName[name].ToList();
        }

        /// <summary>Notes a pipeline this command created, so a second definition of that name finds it.</summary>
        public void Add(string orgId, Pipeline pipeline)
        {
            lock (_byOrg)
            {
                if (_byOrg.TryGetValue(orgId, out var listing) && listing.IsValueCreated && listing.Value.Status == TaskStatus.RanToCompletion)
                {
                    var all = listing.Value.Result.SelectMany(group => group).Concat(new[] { pipeline }).ToList();
                    _byOrg[orgId] = new Lazy<Task<ILookup<string, Pipeline>>>(() => Task.FromResult(all.ToLookup(p => p.Name ?? string.Empty, StringComparer.Ordinal)));
                }
            }
        }

        private async Task<ILookup<string, Pipeline>> ListAsync(string orgId, CancellationToken cancellationToken)
        {
            using (var listing = _client.ListPipelines(orgId, includeSystem: false))
            {
                var pipelines = await listing.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                if (listing.Anomaly != null)
                {
                    // An inconsistent listing cannot prove that a name is missing (or unique).
                    throw new EnosTransportException(
                        $"The listing of organisation '{orgId}' was inconsistent ({listing.Anomaly}), so pipelines cannot be matched by name.",
                        TransportFailure.InvalidResponse, null, null);
                }

                return pipelines.ToLookup(p => p.Name ?? string.Empty, StringComparer.Ordinal);
            }
        }
    }
}
