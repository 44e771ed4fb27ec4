using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
{
    /// <summary>Pauses running pipelines. A pipeline that is already paused is left as it is, without error.</summary>
    [Cmdlet(VerbsLifecycle.Suspend, "EnosPipeline", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class SuspendEnosPipelineCommand : PipelineActionCmdlet
    {
        protected override string ActionVerb => "pause";
        protected override string ShouldProcessAction => "Pause";
        protected override string ProgressVerb => "Pausing";
        protected override PipelineStatus TargetStatus => PipelineStatus.Paused;

        private protected override PipelineAction CreateAction(PipelineTarget target) =>
            (client, cancellationToken) => client.PausePipelineAsync(target.OrgId, target.PipelineId, cancellationToken);
    }
}
