using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
{
    /// <summary>Gets the Kafka offset and lag of each partition of running pipelines.</summary>
    [Cmdlet(VerbsCommon.Get, "EnosPipelineLag", DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(PipelinePartitionLag))]
    public sealed class GetEnosPipelineLagCommand : PipelineTargetCmdlet
    {
        private const string Verb = "get the offset and lag of";

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void ProcessRecord() =>
            StartReads(ThrottleLimit,
                (target, client, cancellationToken) => ReadAsync(client, SharedDirectory(client), target, cancellationToken),
                (target, partitions) => WriteObject(partitions, enumerateCollection: true),
                (target, exception) => ErrorFor(exception, Verb, target));

        protected override void EndProcessing() => Pump.WaitForAll();

        private static async Task<IReadOnlyList<PipelinePartitionLag>> ReadAsync(StreamingClient client, PipelineDirectory directory, PipelineTarget target,
            CancellationToken cancellationToken)
        {
            if (target.Known is { Status: not (PipelineStatus.Running or PipelineStatus.Unknown) } known)
            {
                // The piped object says it is not running: the service has no lag to give.
                throw NotRunning(known, target, null);
            }

            // A bare id has no name; the details have it, and are read alongside the lag.
            var name = target.Name;
            // The name is a courtesy: the lag call reports whatever is really wrong.
            var details = name == null
                ? CourtesyAsync(async () => (await client.GetPipelineAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false)).Name)
                : Task.FromResult<string?>(name);
            IReadOnlyList<PipelinePartitionLag> partitions;
            try
            {
                partitions = await client.GetOffsetLagAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException refusal) when (refusal.Code != EnosErrorCodes.PipelineNotFound && !refusal.IsAuthenticationFailure)
            {
                // What the service answers for a pipeline that is not running is undocumented (Offset
                // Lag lists only 61108 and 99000): when the answer does not say, the listing does,
                // as a second opinion only (without it the service's own refusal is reported).
                var listed = await CourtesyAsync(() => directory.FindAsync(target.OrgId, target.PipelineId, cancellationToken)).ConfigureAwait(false);
                if (listed == null || listed.Status == PipelineStatus.Running)
                {
                    throw;
                }

                throw NotRunning(listed, target, refusal);
            }

            name = await details.ConfigureAwait(false);
            foreach (var partition in partitions)
            {
                partition.Name = name;
            }

            return partitions;
        }

        private static PipelineStateConflictException NotRunning(Pipeline pipeline, PipelineTarget target, EnosApiException? refusal) =>
            new PipelineStateConflictException(target.PipelineId, pipeline.StatusText ?? PipelineStatusText.ToApiText(pipeline.Status),
                "offset and lag exist only while a pipeline runs.", refusal);
    }
}
