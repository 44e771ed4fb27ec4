using System.Management.Automation;
using EnOS.Streaming.Bulk;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Releases pipelines (Release Pipeline): the saved design goes online, PUBLISHED. For a status
    /// other than stopped or paused, the refusal (61169) is EnosPipelineStateConflict naming it.
    /// </summary>
    [Cmdlet(VerbsData.Publish, "EnosPipeline", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class PublishEnosPipelineCommand : PipelineActionCmdlet
    {
        [Parameter]
        public SwitchParameter Wait { get; set; }

        private protected override ActionWording Wording { get; } = new ActionWording("release", "released", "Releasing", "Release (publish the saved configuration)", PipelineStatus.Published);

        private protected override PipelineAction CreateAction(PipelineTarget target) =>
            async (client, cancellationToken) =>
            {
                await client.ReleasePipelineAsync(target.OrgId, target.PipelineId, SharedDirectory(client), cancellationToken).ConfigureAwait(false);
                return StateChange.Applied;
            };
    }
}
