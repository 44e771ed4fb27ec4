using System;

namespace EnOS.Streaming.Errors
{
    /// <summary>
    /// The module itself found a pipeline in the wrong state and sent nothing (Resume-EnosPipeline
    /// refuses to restart a stopped pipeline from scratch). Reported like the service's 61152.
    /// </summary>
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
