using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming
{
    /// <summary>
    /// The pipelines of an organisation as the service lists them, fetched once and shared: for a
    /// bulk command that must know each pipeline's current state (the API's details have no
    /// status), one listing serves every pipeline instead of one call each.
    /// </summary>
    public sealed class PipelineDirectory
    {
        private readonly StreamingClient _client;
        private readonly CancellationToken _cancellationToken;
        private readonly ConcurrentDictionary<string, Lazy<Task<Dictionary<string, Pipeline>>>> _byOrg =
            new ConcurrentDictionary<string, Lazy<Task<Dictionary<string, Pipeline>>>>(StringComparer.Ordinal);

        /// <param name="client">Lists the pipelines.</param>
        /// <param name="cancellationToken">Cancels the shared listing (the whole command's token).</param>
        public PipelineDirectory(StreamingClient client, CancellationToken cancellationToken = default)
        {
            _client = client;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The pipeline as listed now, or null when the organisation does not list it.</summary>
        public async Task<Pipeline?> FindAsync(string orgId, string pipelineId)
        {
            var listing = _byOrg.GetOrAdd(orgId, org => new Lazy<Task<Dictionary<string, Pipeline>>>(() => ListAsync(org)));
            var pipelines = await listing.Value.ConfigureAwait(false);
            return pipelines.TryGetValue(pipelineId, out var pipeline) ? pipeline : null;
        }

        private async Task<Dictionary<string, Pipeline>> ListAsync(string orgId)
        {
            var pipelines = new Dictionary<string, Pipeline>(StringComparer.Ordinal);
            using (var listing = _client.ListPipelines(orgId, includeSystem: true))
            {
                foreach (var pipeline in await listing.ReadAllAsync(_cancellationToken).ConfigureAwait(false))
                {
                    pipelines[pipeline.PipelineId] = pipeline;
                }
            }

            return pipelines;
        }
    }
}
