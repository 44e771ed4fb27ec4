using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Creates pipelines from definitions (Save Pipeline with the id null). A name the organisation
    /// has is refused (EnosPipelineExists), so a promotion run twice creates nothing twice.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "EnosPipeline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class NewEnosPipelineCommand : DefinitionSaveCmdlet
    {
        private protected override Task<SavePlan> PlanAsync(StreamingClient client, string orgId, PipelineDefinition definition, PipelineDirectory names,
            CancellationToken cancellationToken) =>
            client.Definitions.PlanCreateAsync(orgId, definition, names, cancellationToken);

        // The new pipeline as the organisation lists it (status included); as created, if the listing does not show it (yet).
        private protected override async Task<object?> ResultAsync(StreamingClient client, SavePlan plan, string pipelineId, CancellationToken cancellationToken) =>
            await CourtesyAsync(() => SharedDirectory(client).FindAsync(plan.OrgId, pipelineId, cancellationToken)).ConfigureAwait(false)
            ?? new Pipeline
            {
                PipelineId = pipelineId,
                Name = plan.Definition.Name,
                OrgId = plan.OrgId,
                Version = plan.Definition.Version,
                TemplateType = plan.Definition.TemplateType,
            };
    }
}
