using System;

namespace EnOS.Streaming
{
    /// <summary>
    /// The pipeline is in a state the action cannot work from. Either the client found it so and
    /// sent nothing (a resume of a stopped pipeline would start it afresh), or the service refused
    /// the call naming the status (then <see cref="Exception.InnerException"/> is its answer).
    /// Reported like the service's 61152.
    /// </summary>
    public sealed class PipelineStateConflictException : EnosException
    {
        public PipelineStateConflictException(string pipelineId, string currentStatus, string reason, EnosApiException? answer = null)
            : base($"Pipeline '{pipelineId}' is {currentStatus}: {reason}", answer)
        {
            PipelineId = pipelineId;
            CurrentStatus = currentStatus;
            Reason = reason;
        }

        public string PipelineId { get; }
        public string CurrentStatus { get; }
        public string Reason { get; }

        /// <summary>True when the client refused on its own, before any request for the action.</summary>
        public bool NothingSent => InnerException == null;

        /// <summary>Refused by the client before sending, or by the service naming the status (unless an earlier attempt may have been applied).</summary>
        public override bool ChangedNothing => !(InnerException is EnosApiException { EarlierAttemptMayHaveApplied: true });
    }
}
