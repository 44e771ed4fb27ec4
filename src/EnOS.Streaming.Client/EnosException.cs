using System;

namespace EnOS.Streaming
{
    /// <summary>Every failure the client reports, the service's or its own refusal before sending: catch this; anything else is a bug or bad input.</summary>
    /// <remarks>Not [Serializable]: remoting and jobs send it as a property bag, which keeps its properties anyway.</remarks>
    public abstract class EnosException : Exception
    {
        protected EnosException(string message, RequestOutcome outcome, Exception? innerException = null)
            : base(message, innerException)
        {
            Outcome = outcome;
        }

        /// <summary>Whether the request was sent, and whether it may have changed anything.</summary>
        public RequestOutcome Outcome { get; internal set; }

        /// <summary>The request changed nothing; false means unknown, not that it happened.</summary>
        public bool ChangedNothing => Outcome != RequestOutcome.MayHaveApplied;
    }
}
