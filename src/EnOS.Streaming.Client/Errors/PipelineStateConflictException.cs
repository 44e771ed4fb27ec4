using System;

namespace EnOS.Streaming
{
    /// <summary>
    /// The client found a pipeline in a state the action must not be sent from, and sent nothing
    /// (a resume of a stopped pipeline would start it afresh). Reported like the service's 61152.
    /// </summary>
    [Serializable]
    public sealed class PipelineStateConflictException : InvalidOperationException
    {
        public PipelineStateConflictException(string pipelineId, string currentStatus, string reason)
            : base($"Pipeline '{pipelineId}' is {currentStatus}: {reason}")
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
