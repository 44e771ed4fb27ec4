using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Saves definitions over existing pipelines (Save Pipeline): the saved design changes; the
    /// running pipeline does not until Publish-EnosPipeline releases it. A definition from the
    /// organisation saved to finds its pipeline by id, one from another organisation (or with no
    /// id) by name; with -CreateMissing a name no pipeline has is created. A pipeline whose saved
    /// configuration is already the definition is left alone. A definition whose pipelineId the
    /// organisation does not have, or has under another name, is refused (unless -Force), and so
    /// are two definitions of one pipelineId in one run.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "EnosPipelineDefinition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PipelineDefinition))]
    public sealed class SetEnosPipelineDefinitionCommand : DefinitionSaveCmdlet
    {
        /// <summary>Creates the pipelines whose name the organisation does not have (Save Pipeline with the id null).</summary>
        [Parameter]
        public SwitchParameter CreateMissing { get; set; }

        /// <summary>
        /// Saves a definition found by its pipelineId even when its name is not the one the service
        /// has for that id (a rename on purpose); without it, such a definition is refused.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes each definition as saved: its PipelineId and OrgId are the pipeline's in the organisation saved to.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override string ActionVerb => "save";

        private protected override bool RefusesDuplicateIds => true;

        private protected override Task<SavePlan> PlanAsync(StreamingClient client, string orgId, PipelineDefinition definition, PipelineDirectory names,
            CancellationToken cancellationToken)
        {
            var createMissing = CreateMissing.IsPresent;
            return client.Definitions.PlanSaveAsync(orgId, definition, names, createMissing, Force.IsPresent, cancellationToken);
        }

        private protected override Task<object?> ResultAsync(StreamingClient client, SavePlan plan, string pipelineId, CancellationToken cancellationToken)
        {
            if (!PassThru)
            {
                return Task.FromResult<object?>(null);
            }

            return Task.FromResult<object?>(plan.Definition.SavedAs(pipelineId, plan.OrgId));
        }
    }
}
