using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
{
    /// <summary>Pauses running pipelines. A pipeline that is already paused is left as it is, without error.</summary>
    [Cmdlet(VerbsLifecycle.Suspend, "EnosPipeline", DefaultParameterSetName = ByIdSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class SuspendEnosPipelineCommand : PipelineActionCmdlet
    {
        protected override string ActionVerb => "pause";
        protected override string ShouldProcessAction => "Pause";
        protected override string ProgressVerb => "Pausing";
        protected override PipelineStatus TargetStatus => PipelineStatus.Paused;

        protected override Task<StateChange> ApplyAsync(StreamingClient client, PipelineTarget target, CancellationToken cancellationToken) =>
            client.PausePipelineAsync(target.OrgId, target.PipelineId, cancellationToken);
    }
}
