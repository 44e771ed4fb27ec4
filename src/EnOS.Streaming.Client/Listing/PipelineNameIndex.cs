using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming
{
    /// <summary>
    /// How a definition from another organisation finds its pipeline there: by name, in the
    /// command's one snapshot (<see cref="PipelineDirectory.NamedAsync"/>). Names are matched
    /// exactly (ordinal); a name that two pipelines share matches neither.
    /// </summary>
    internal sealed class PipelineNameIndex
    {
        private readonly PipelineDirectory _directory;

        public PipelineNameIndex(StreamingClient client)
            : this(new PipelineDirectory(client))
        {
        }

        public PipelineNameIndex(PipelineDirectory directory)
        {
            _directory = directory;
        }

        /// <summary>The ordinary (non-system) pipelines of <paramref name="orgId"/> named exactly <paramref name="name"/>.</summary>
        public Task<IReadOnlyList<Pipeline>> FindAsync(string orgId, string name, CancellationToken cancellationToken = default) =>
            _directory.NamedAsync(orgId, name, cancellationToken);

        /// <summary>Notes a pipeline this command created, so a second definition of that name finds it.</summary>
        public void Add(string orgId, Pipeline pipeline) => _directory.Add(orgId, pipeline);
    }
}
