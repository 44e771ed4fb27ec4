using System;

namespace EnOS.Streaming.Model
{
    /// <summary>What a resume will do with one pipeline, decided from its listed status before anything is sent.</summary>
    internal enum ResumeDecision
    {
        /// <summary>Listed PAUSED: the start action is sent, in <see cref="ResumePlan.ExecutionMode"/>.</summary>
        Resume,

        /// <summary>Listed RUNNING: nothing to send.</summary>
        AlreadyRunning,

        /// <summary>Absent or in any other status: refused without a request (<see cref="ResumePlan.Refusal"/>).</summary>
        Refuse,
    }

    /// <summary>The decision for one pipeline and why; what -WhatIf reports and what the real run does.</summary>
    /// <param name="PipelineId">The pipeline to resume.</param>
    /// <param name="Listed">The pipeline as the service listed it just now; null when it is not listed.</param>
    /// <param name="Decision">What is sent.</param>
    /// <param name="ExecutionMode">The mode the start action carries (the listed one unless the caller chose).</param>
    /// <param name="Refusal">Why it is refused: <see cref="PipelineNotListedException"/> or <see cref="PipelineStateConflictException"/>.</param>
    internal sealed record ResumePlan(string PipelineId, Pipeline? Listed, ResumeDecision Decision, ExecutionMode ExecutionMode, Exception? Refusal)
    {
        /// <summary>Only a listed PAUSED pipeline is resumed: the start action would begin any other afresh, without its offsets.</summary>
        internal static ResumePlan For(string pipelineId, string orgId, Pipeline? listed, ExecutionMode? executionMode)
        {
            var mode = executionMode ?? listed?.ExecutionMode ?? ExecutionMode.Standalone;
            if (listed == null)
            {
                return new ResumePlan(pipelineId, null, ResumeDecision.Refuse, mode, new PipelineNotListedException(pipelineId, orgId));
            }

            switch (listed.Status)
            {
                case PipelineStatus.Paused:
                    return new ResumePlan(pipelineId, listed, ResumeDecision.Resume, mode, null);
                case PipelineStatus.Running:
                    return new ResumePlan(pipelineId, listed, ResumeDecision.AlreadyRunning, mode, null);
                default:
                    // Stopped, published, failed, stopping, or a status this module does not know.
                    var status = listed.StatusText ?? PipelineStatusText.ToApiText(listed.Status);
                    return new ResumePlan(pipelineId, listed, ResumeDecision.Refuse, mode, new PipelineStateConflictException(pipelineId, status,
                        "only a paused pipeline can be resumed; the start action would begin this one afresh, without its offsets."));
            }
        }

        /// <summary>In words, for -WhatIf: "listed PAUSED: would resume in cluster mode".</summary>
        public string Explain()
        {
            switch (Decision)
            {
                case ResumeDecision.Resume:
                    return $"listed PAUSED: would resume it from where it paused, in {ExecutionMode.ToString().ToLowerInvariant()} mode";
                case ResumeDecision.AlreadyRunning:
                    return "listed RUNNING: already running, nothing would be sent";
                // The line names the pipeline already: the refusal is told without it.
                default:
                    return "would refuse it without a request: " + Refusal switch
                    {
                        PipelineStateConflictException conflict => $"it is listed {conflict.CurrentStatus}; {DisplayText.Clause(conflict.Reason)}",
                        PipelineNotListedException notListed => $"it is not in the listing of organisation '{notListed.OrgId}'",
                        _ => DisplayText.Clause(Refusal?.Message ?? "its status does not allow it"),
                    };
            }
        }
    }
}
