using System;

namespace EnOS.Streaming
{
    /// <summary>
    /// The base of every failure the client layer reports: the service's error answer
    /// (<see cref="EnosApiException"/>), no usable answer (<see cref="EnosTransportException"/>), and
    /// the refusals the client makes itself before sending (<see cref="PipelineStateConflictException"/>,
    /// <see cref="PipelineNotListedException"/>, <see cref="PipelineNameException"/>). Catch this, not
    /// a list of the types, to handle whatever the client met; anything else is a bug or bad input.
    /// </summary>
    /// <remarks>
    /// Not [Serializable]: BinaryFormatter is gone from PowerShell 7, and Windows PowerShell's
    /// remoting and jobs send an error's exception as a property bag (Deserialized.*), which keeps the
    /// public read-only properties (Code, RequestId, ReportedStatus, Outcome) without any help from here.
    /// </remarks>
    public abstract class EnosException : Exception
    {
        protected EnosException(string message, RequestOutcome outcome, Exception? innerException = null)
            : base(message, innerException)
        {
            Outcome = outcome;
        }

        /// <summary>Whether the request was sent, and whether it may have changed anything.</summary>
        public RequestOutcome Outcome { get; internal set; }

        /// <summary>
        /// True when this failure shows that the request changed nothing (<see cref="Outcome"/> is
        /// not <see cref="RequestOutcome.MayHaveApplied"/>). False means the outcome is unknown, not
        /// that it happened.
        /// </summary>
        public bool ChangedNothing => Outcome != RequestOutcome.MayHaveApplied;
    }
}
