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
    /// public read-only properties (Code, RequestId, ReportedStatus) without any help from here.
    /// </remarks>
    public abstract class EnosException : Exception
    {
        protected EnosException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }

        /// <summary>
        /// True when this failure shows that the request changed nothing: the service answered
        /// with an error, the client refused before sending, or no attempt reached the service.
        /// False means the outcome is unknown (an answer lost on the way back), not that it happened.
        /// A bulk command's report ("not changed" or "may have been paused") and the maintenance
        /// journal both read it.
        /// </summary>
        public abstract bool ChangedNothing { get; }
    }
}
