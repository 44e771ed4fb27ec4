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
        /// <summary>Creates the pipelines whose name the organisation does not have (Save Pipeline with the id null).</summary>
        [Parameter]
        public SwitchParameter CreateMissing { get; set; }

        /// <summary>Saves a definition whose name is not the one its pipelineId has (a rename on purpose); refused without it.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes each definition as saved: its PipelineId and OrgId are the pipeline's in the organisation saved to.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override string ActionVerb => "save";

        private protected override bool RefusesDuplicateIds => true;

        private protected override Task<SavePlan> PlanAsync(StreamingClient client, string orgId, PipelineDefinition definition, PipelineNameIndex names,
            CancellationToken cancellationToken) =>
            client.Definitions.PlanSaveAsync(orgId, definition, names, CreateMissing.IsPresent, Force.IsPresent, cancellationToken);

        private protected override Task<object?> ResultAsync(StreamingClient client, SavePlan plan, string pipelineId, CancellationToken cancellationToken) =>
            Task.FromResult<object?>(PassThru ? plan.Definition.SavedAs(pipelineId, plan.OrgId) : null);
    }
}
