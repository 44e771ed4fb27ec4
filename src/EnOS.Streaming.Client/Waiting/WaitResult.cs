namespace EnOS.Streaming.Waiting
{
    /// <summary>How the wait for one pipeline ended.</summary>
    internal enum WaitResult
    {
        /// <summary>The listing showed the pipeline in the status waited for.</summary>
        Reached,

        /// <summary>The listing showed FAILED: it will not get there by itself.</summary>
        Failed,

        /// <summary>Still elsewhere when the time was up; <see cref="WaitOutcome.LastStatus"/> says where.</summary>
        TimedOut,

        /// <summary>A complete listing of its organisation does not hold it.</summary>
        NotListed,

        /// <summary>The wait was cancelled (Ctrl+C) before it got anywhere.</summary>
        Cancelled,
    }
}
