using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Saves definitions over existing pipelines (Save Pipeline), found by id in their own
    /// organisation, else by name; the running pipeline changes only once Publish-EnosPipeline releases it.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "EnosPipelineDefinition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PipelineDefinition))]
    public sealed class SetEnosPipelineDefinitionCommand : DefinitionSaveCmdlet
    {
        [Parameter]
        public SwitchParameter CreateMissing { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override Task<SavePlan> PlanAsync(StreamingClient client, string orgId, PipelineDefinition definition, PipelineDirectory names,
            CancellationToken cancellationToken) =>
            client.Definitions.PlanSaveAsync(orgId, definition, names, CreateMissing.IsPresent, Force.IsPresent, cancellationToken);

        private protected override Task<object?> ResultAsync(StreamingClient client, SavePlan plan, string pipelineId, CancellationToken cancellationToken) =>
            Task.FromResult<object?>(PassThru ? plan.Definition.SavedAs(pipelineId, plan.OrgId) : null);
    }
}
