using System.Management.Automation;
using EnOS.Streaming.Bulk;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Stops running or paused pipelines. This clears their offsets and cached data, so it asks
    /// for confirmation unless -Force is given. A stopped pipeline is left as it is, without error.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "EnosPipeline", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(Pipeline))]
    public sealed class StopEnosPipelineCommand : IrreversibleActionCmdlet
    {
        [Parameter]
        public SwitchParameter Wait { get; set; }

        private protected override ActionWording Wording { get; } = new ActionWording("stop", "stopped", "Stopping", "Stop (clears offsets and cached data)", PipelineStatus.Stopped);

        private protected override PipelineAction CreateAction(PipelineTarget target) =>
            (client, cancellationToken) => client.StopPipelineAsync(target.OrgId, target.PipelineId, cancellationToken);
    }
}
