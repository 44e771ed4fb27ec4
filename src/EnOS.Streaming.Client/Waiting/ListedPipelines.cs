using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Waiting
{
    /// <summary>Lists every pipeline of an organisation (system ones included), as one poll does.</summary>
    internal delegate Task<ListedPipelines> ListOrganisation(string orgId, CancellationToken cancellationToken);

    /// <summary>One poll's listing of an organisation: one set of pages.</summary>
    /// <param name="Pipelines">Every pipeline listed, each once.</param>
    /// <param name="Pages">The pages read.</param>
    /// <param name="Complete">False when the listing ended on an anomaly: a pipeline missing from it may still exist.</param>
    internal sealed record ListedPipelines(IReadOnlyList<Pipeline> Pipelines, int Pages, bool Complete)
    {
        /// <summary>The listing through a client's connection; pages within the count are fetched several at once.</summary>
        public static ListOrganisation Through(StreamingClient client) => async (orgId, cancellationToken) =>
        {
            using (var listing = client.ListPipelines(orgId, includeSystem: true))
            {
                var pipelines = new List<Pipeline>();
                var pages = 0;
                IReadOnlyList<Pipeline>? page;
                while ((page = await listing.NextPageAsync(cancellationToken).ConfigureAwait(false)) != null)
                {
                    pages++;
                    pipelines.AddRange(page);
                }

                return new ListedPipelines(pipelines, Math.Max(pages, 1), listing.Anomaly == null);
            }
        };

        public Dictionary<string, Pipeline> ById() =>
            Pipelines.GroupBy(pipeline => pipeline.PipelineId, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Last(), StringComparer.Ordinal);
    }
}
