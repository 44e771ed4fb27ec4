using System;

namespace EnOS.Streaming
{
    /// <summary>
    /// The pipeline is in a state the action cannot work from. Either the client found it so and
    /// sent nothing (<see cref="RequestOutcome.NotSent"/>; a resume of a stopped pipeline would
    /// start it afresh), or the service refused the call naming the status (then
    /// <see cref="Exception.InnerException"/> is its answer, and its outcome is this one's).
    /// Reported like the service's 61152.
    /// </summary>
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
