using EnOS.Streaming.Commands;

namespace EnOS.Streaming.Bulk
{
    /// <summary>How a state-changing command tells its action, each wording once: messages, prompts, progress, reports.</summary>
    /// <param name="verb">For messages: "pause" (Cannot pause pipeline …).</param>
    /// <param name="pastTense">For an interrupted run: "paused" (May have been paused: …).</param>
    /// <param name="progressive">For progress and -Verbose: "Pausing".</param>
    /// <param name="shouldProcess">For -WhatIf and -Confirm: "Pause".</param>
    /// <param name="targetStatus">The status a pipeline has once the action is done.</param>
    /// <param name="keepsStatus">The action leaves the status as it was (an offset reset): -PassThru writes the pipeline unchanged.</param>
    internal sealed class ActionWording(string verb, string pastTense, string progressive, string shouldProcess, PipelineStatus targetStatus, bool keepsStatus = false)
    {
        public string Verb { get; } = verb;
        public string PastTense { get; } = pastTense;
        public string Progressive { get; } = progressive;
        public string ShouldProcess { get; } = shouldProcess;
        public PipelineStatus TargetStatus { get; } = targetStatus;
        public bool KeepsStatus { get; } = keepsStatus;

        /// <summary>"already paused": the pipeline was in the target status, so nothing was sent.</summary>
        public string AlreadyInState { get; } = "already " + PipelineStatusText.ToApiText(targetStatus).ToLowerInvariant();

        /// <summary>For the bulk engine's progress and the report of a run ended early.</summary>
        public BulkWording Bulk { get; } =
            new BulkWording(progressive, "pipeline(s) it had sent a request for", EnosCmdlet.Capitalised(verb) + " accepted", pastTense, "Get-EnosPipeline");

        /// <summary>
        /// "6 paused, 0 failed, 2 already paused". An offset reset (the status stays) and a release
        /// (sent whatever the status) are never "already" done.
        /// </summary>
        public string Summary(BulkCounts counts) =>
            $"{counts.Of(PastTense)} {PastTense}, {counts.Failed} failed"
            + (KeepsStatus || TargetStatus == PipelineStatus.Published ? string.Empty : $", {counts.Of(AlreadyInState)} {AlreadyInState}")
            + counts.Extras();

        /// <summary>The pipeline as -PassThru writes it once the action is done.</summary>
        public Pipeline Settled(Pipeline pipeline) => KeepsStatus ? pipeline : pipeline.WithStatus(TargetStatus);
    }
}
