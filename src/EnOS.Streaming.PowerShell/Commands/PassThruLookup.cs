using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// For -PassThru on a bare id: the pipeline as a piped object would have had it, so that
    /// -PassThru writes the same shape either way.
    /// </summary>
    internal static class PassThruLookup
    {
        /// <summary>
        /// The listing has what a piped object would (name, execution mode, update time); the
        /// details, which lack them, are the fallback for a pipeline the listing does not show.
        /// Never fails: the change itself succeeded, and the pipeline is not lost over its name.
        /// </summary>
        public static async Task<Pipeline> FindAsync(StreamingClient client, PipelineDirectory directory, PipelineTarget target, CancellationToken cancellationToken)
        {
            try
            {
                var listed = await directory.FindAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
                if (listed != null)
                {
                    return listed;
                }

                var details = await client.GetPipelineAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
                return new Pipeline
                {
                    PipelineId = details.PipelineId ?? target.PipelineId,
                    Name = details.Name,
                    OrgId = target.OrgId,
                    Version = details.Version,
                    TemplateType = details.TemplateType,
                };
            }
            catch (EnosException)
            {
                return new Pipeline { PipelineId = target.PipelineId, OrgId = target.OrgId };
            }
        }
    }
}
