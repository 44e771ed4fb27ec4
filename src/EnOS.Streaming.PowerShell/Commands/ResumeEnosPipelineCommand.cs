using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Resumes paused pipelines from where they paused (the API's start action on a PAUSED
    /// pipeline). A running pipeline is left as it is; a stopped one is refused, because starting
    /// it would begin again from scratch; that is Start-EnosPipeline's job.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Resume, "EnosPipeline", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class ResumeEnosPipelineCommand : PipelineActionCmdlet
    {
        /// <summary>Records per second read from Kafka after resuming.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int KafkaRate { get; set; } = 1000;

        protected override string ActionVerb => "resume";
        protected override string ShouldProcessAction => "Resume";
        protected override string ProgressVerb => "Resuming";
        protected override PipelineStatus TargetStatus => PipelineStatus.Running;

        private protected override PipelineAction CreateAction(PipelineTarget target)
        {
            var kafkaRate = KafkaRate;
            return (client, cancellationToken) => ResumeAsync(client, target, kafkaRate, cancellationToken);
        }

        private async Task<StateChange> ResumeAsync(StreamingClient client, PipelineTarget target, int kafkaRate, CancellationToken cancellationToken)
        {
            // The status of a piped object may be hours old (Import-Clixml): ask the service.
            var pipeline = await CurrentStateAsync(client, target, cancellationToken).ConfigureAwait(false);
            switch (pipeline?.Status)
            {
                case PipelineStatus.Running:
                    return StateChange.AlreadyInState;
                case PipelineStatus.Stopped:
                case PipelineStatus.Published:
                    throw new PipelineStateConflictException(target.PipelineId, pipeline.StatusText ?? pipeline.Status.ToString().ToUpperInvariant(),
                        "only a paused pipeline can be resumed. Start-EnosPipeline starts it afresh, without its old offsets.");
            }

            // Paused, or not listed (the service will say if it does not exist).
            var mode = pipeline?.ExecutionMode ?? target.Known?.ExecutionMode ?? ExecutionMode.Standalone;
            return await client.StartPipelineAsync(target.OrgId, target.PipelineId,
                new StartPipelineRequest { ExecutionMode = mode, KafkaRate = kafkaRate }, cancellationToken).ConfigureAwait(false);
        }
    }
}
