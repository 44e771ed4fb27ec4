using System;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// Carries an API answer that means "try again later" to the retry policy, which retries it
    /// within the same attempts and time budget as a transport failure and, once those are spent,
    /// throws the answer itself.
    /// </summary>
    internal sealed class RetryableAnswerException : Exception
    {
        public RetryableAnswerException(EnosApiException answer)
            : base(answer.Message, answer)
        {
            Answer = answer;
        }

        public EnosApiException Answer { get; }
    }
}
