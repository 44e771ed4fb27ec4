using System.Management.Automation;
using EnOS.Streaming.Bulk;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Releases pipelines (Release Pipeline): the saved design goes online and the pipeline is
    /// PUBLISHED, ready to start. The service wants it stopped or paused; for any other status its
    /// refusal (61169) is EnosPipelineStateConflict naming the status the listing shows.
    /// </summary>
    [Cmdlet(VerbsData.Publish, "EnosPipeline", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class PublishEnosPipelineCommand : PipelineActionCmdlet
    {
        /// <summary>Waits until each pipeline is listed PUBLISHED, and writes it then.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        private protected override PipelineStatus? WaitStatus => Wait ? PipelineStatus.Published : (PipelineStatus?)null;

        private protected override ActionWording Wording { get; } = new ActionWording("release", "released", "Releasing", "Release (publish the saved configuration)", PipelineStatus.Published);

        private protected override PipelineAction CreateAction(PipelineTarget target) =>
            async (client, cancellationToken) =>
            {
                await client.ReleasePipelineAsync(target.OrgId, target.PipelineId, SharedDirectory(client), cancellationToken).ConfigureAwait(false);
                return StateChange.Applied;
            };
    }
}
