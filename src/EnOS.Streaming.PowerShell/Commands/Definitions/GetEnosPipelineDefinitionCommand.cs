using System.Management.Automation;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>Gets pipelines' definitions (Get Pipeline Details), the configuration exactly as the service sent it.</summary>
    [Cmdlet(VerbsCommon.Get, "EnosPipelineDefinition", DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(PipelineDefinition))]
    public sealed class GetEnosPipelineDefinitionCommand : PipelineTargetCmdlet
    {
        private const string Verb = "get the definition of";

        [Parameter]
        public SwitchParameter Released { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void ProcessRecord()
        {
            var released = Released.IsPresent;
            StartReads(ThrottleLimit,
                (target, client, cancellationToken) => client.Definitions.GetAsync(target.OrgId, target.PipelineId, released, cancellationToken),
                (target, definition) =>
                {
                    WriteVerbose($"Read the {(released ? "released" : "saved")} definition of {Pipeline.Describe(target.PipelineId, definition.Name)}.");
                    WriteObject(definition);
                },
                (target, exception) => EnosErrorRecords.ForPipeline(exception, Verb, target.PipelineId, target.Name, target.OrgId));
        }

        protected override void EndProcessing() => Pump.WaitForAll();
    }
}
