using System;

namespace EnOS.Streaming
{
    /// <summary>The pipeline's state does not allow the action: found before sending, or the service's refusal naming it (inner). Reported like 61152.</summary>
    public sealed class PipelineStateConflictException(string pipelineId, string currentStatus, string reason, EnosApiException? answer = null)
        : EnosException($"Pipeline '{pipelineId}' is {currentStatus}: {reason}", answer?.Outcome ?? RequestOutcome.NotSent, answer)
    {
        public string PipelineId { get; } = pipelineId;
        public string CurrentStatus { get; } = currentStatus;
        public string Reason { get; } = reason;
    }
}
