using System;

namespace EnOS.Streaming
{
    /// <summary>The decision for one pipeline and why; what -WhatIf reports and what the real run does.</summary>
    public sealed class ResumePlan
    {
        internal ResumePlan(string pipelineId, Pipeline? listed, ResumeDecision decision, ExecutionMode executionMode, Exception? refusal)
        {
            PipelineId = pipelineId;
            Listed = listed;
            Decision = decision;
            ExecutionMode = executionMode;
            Refusal = refusal;
        }

        public string PipelineId { get; }

        /// <summary>The pipeline as the service listed it just now; null when it is not listed.</summary>
        public Pipeline? Listed { get; }

        public ResumeDecision Decision { get; }

        /// <summary>The mode the start action carries (the listed one unless the caller chose).</summary>
        public ExecutionMode ExecutionMode { get; }

        /// <summary>Why it is refused: <see cref="PipelineNotListedException"/> or <see cref="PipelineStateConflictException"/>.</summary>
        public Exception? Refusal { get; }

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
