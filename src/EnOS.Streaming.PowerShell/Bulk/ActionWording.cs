using EnOS.Streaming.Commands;

namespace EnOS.Streaming.Bulk
{
    /// <summary>How a state-changing command tells its action, each wording once: messages, prompts, progress, reports.</summary>
    internal sealed class ActionWording
    {
        /// <param name="verb">For messages: "pause" (Cannot pause pipeline …).</param>
        /// <param name="pastTense">For an interrupted run: "paused" (May have been paused: …).</param>
        /// <param name="progressive">For progress and -Verbose: "Pausing".</param>
        /// <param name="shouldProcess">For -WhatIf and -Confirm: "Pause".</param>
        /// <param name="targetStatus">The status a pipeline has once the action is done.</param>
        /// <param name="keepsStatus">The action leaves the status as it was (an offset reset): -PassThru writes the pipeline unchanged.</param>
        public ActionWording(string verb, string pastTense, string progressive, string shouldProcess, PipelineStatus targetStatus, bool keepsStatus = false)
        {
            Verb = verb;
            PastTense = pastTense;
            Progressive = progressive;
            ShouldProcess = shouldProcess;
            TargetStatus = targetStatus;
            KeepsStatus = keepsStatus;
            AlreadyInState = "already " + PipelineStatusText.ToApiText(targetStatus).ToLowerInvariant();
            Bulk = new BulkWording
            {
                Progressive = progressive,
                Items = "pipeline(s) it had sent a request for",
                Accepted = EnosCmdlet.Capitalised(verb) + " accepted",
                PastTense = pastTense,
                CheckWith = "Get-EnosPipeline",
            };
        }

        public string Verb { get; }
        public string PastTense { get; }
        public string Progressive { get; }
        public string ShouldProcess { get; }
        public PipelineStatus TargetStatus { get; }
        public bool KeepsStatus { get; }

        /// <summary>"already paused": the pipeline was in the target status, so nothing was sent.</summary>
        public string AlreadyInState { get; }

        /// <summary>For the bulk engine's progress and the report of a run ended early.</summary>
        public BulkWording Bulk { get; }

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
