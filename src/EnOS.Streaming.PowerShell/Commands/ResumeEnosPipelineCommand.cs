using System.Management.Automation;

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

        // The status of a piped object may be hours old (Import-Clixml): the client reads the
        // current one from the command's shared directory.
        private protected override PipelineAction CreateAction(PipelineTarget target)
        {
            var kafkaRate = KafkaRate;
            return (client, cancellationToken) =>
                client.ResumePipelineAsync(target.OrgId, target.PipelineId, kafkaRate, SharedDirectory(client), cancellationToken);
        }
    }
}
