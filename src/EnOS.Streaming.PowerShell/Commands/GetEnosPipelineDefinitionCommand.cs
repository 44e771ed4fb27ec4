using System.Management.Automation;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Gets pipelines' definitions (Get Pipeline Details): the saved design, or with -Released the
    /// configuration published online. The configuration is kept exactly as the service sent it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EnosPipelineDefinition", DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(PipelineDefinition))]
    public sealed class GetEnosPipelineDefinitionCommand : PipelineTargetCmdlet
    {
        private const string Verb = "get the definition of";

        /// <summary>The released (online) configuration instead of the saved design.</summary>
        [Parameter]
        public SwitchParameter Released { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void ProcessRecord()
        {
            var released = Released.IsPresent;
            foreach (var target in UsableTargets())
            {
                var client = Client;
                Pump.Start(
                    cancellationToken => client.Definitions.GetAsync(target.OrgId, target.PipelineId, released, cancellationToken),
                    finished => Complete(target, finished),
                    ThrottleLimit);
            }

            Pump.HandleReady();
        }

        protected override void EndProcessing() => Pump.WaitForAll();

        private void Complete(PipelineTarget target, Task<PipelineDefinition> finished)
        {
            if (finished.IsFaulted && finished.Exception!.GetBaseException() is EnosApiException api && api.IsAuthenticationFailure)
            {
                // The credentials stopped working: no further pipeline can succeed.
                ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api));
            }
            else if (finished.IsFaulted)
            {
                WriteError(EnosErrorRecords.ForPipeline(finished.Exception!.GetBaseException(), Verb, target.PipelineId, target.Name, target.OrgId));
            }
            else if (!finished.IsCanceled)
            {
                WriteVerbose($"Read the {(Released ? "released" : "saved")} definition of {Pipeline.Describe(target.PipelineId, finished.Result.Name)}.");
                WriteObject(finished.Result);
            }
        }
    }
}
