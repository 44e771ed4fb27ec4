using System.Management.Automation;
using EnOS.Streaming.Bulk;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Resets paused or stopped pipelines' Kafka offsets (Reset Pipeline Offset): the backlog is
    /// skipped and the position lost, so it asks first unless -Force is given.
    /// </summary>
    [Cmdlet(VerbsCommon.Reset, "EnosPipelineOffset", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(Pipeline))]
    public sealed class ResetEnosPipelineOffsetCommand : IrreversibleActionCmdlet
    {
        // The status does not change: -PassThru writes the pipeline as it was.
        private protected override ActionWording Wording { get; } = new ActionWording("reset the offset of", "reset", "Resetting offsets of",
            "Reset the offset (skips the unprocessed backlog)", PipelineStatus.Unknown, keepsStatus: true);

        private protected override PipelineAction CreateAction(PipelineTarget target) =>
            async (client, cancellationToken) =>
            {
                await client.ResetOffsetAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
                return StateChange.Applied;
            };
    }
}
