using System;

namespace EnOS.Streaming
{
    /// <summary>The pipeline's state does not allow the action: found before sending, or the service's refusal naming it (inner). Reported like 61152.</summary>
    public sealed class PipelineStateConflictException : EnosException
    {
        public PipelineStateConflictException(string pipelineId, string currentStatus, string reason, EnosApiException? answer = null)
            : base($"Pipeline '{pipelineId}' is {currentStatus}: {reason}", answer?.Outcome ?? RequestOutcome.NotSent, answer)
        {
            PipelineId = pipelineId;
            CurrentStatus = currentStatus;
            Reason = reason;
        }

        public string PipelineId { get; }
        public string CurrentStatus { get; }
        public string Reason { get; }
    }
}
