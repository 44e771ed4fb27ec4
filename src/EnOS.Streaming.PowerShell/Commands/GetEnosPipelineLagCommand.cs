using System;
using System.Collections.Generic;
using System.Management.Automation;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>Gets the Kafka offset and lag of each partition of running pipelines.</summary>
    [Cmdlet(VerbsCommon.Get, "EnosPipelineLag", DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(PipelinePartitionLag))]
    public sealed class GetEnosPipelineLagCommand : PipelineTargetCmdlet
    {
        // Reads are cheap for the service; a fixed bound keeps a long list quick without a knob.
        private const int Concurrency = 8;

        protected override void ProcessRecord()
        {
            foreach (var target in UsableTargets())
            {
                var client = Client;
                Pump.Start(
                    cancellationToken => client.GetOffsetLagAsync(target.OrgId, target.PipelineId, cancellationToken),
                    finished =>
                    {
                        if (finished.IsFaulted && finished.Exception!.GetBaseException() is EnosApiException api && api.IsAuthenticationFailure)
                        {
                            // The credentials stopped working: no further pipeline can succeed.
                            ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api));
                        }
                        else if (finished.IsFaulted)
                        {
                            WriteError(EnosErrorRecords.ForPipeline(finished.Exception!.GetBaseException(), "get the offset and lag of",
                                target.PipelineId, target.Name, target.OrgId));
                        }
                        else if (!finished.IsCanceled)
                        {
                            WriteObject(finished.Result, enumerateCollection: true);
                        }
                    },
                    Concurrency);
            }

            Pump.HandleReady();
        }

        protected override void EndProcessing() => Pump.WaitForAll();
    }
}
