using System;
using EnOS.Streaming.Model;

namespace EnOS.Streaming.Waiting
{
    /// <summary>How the wait for one pipeline ended.</summary>
    internal enum WaitResult
    {
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

    /// <summary>The end of the wait for one pipeline, reported as soon as it is known.</summary>
    /// <param name="OrgId">The pipeline's organisation.</param>
    /// <param name="PipelineId">The pipeline waited for.</param>
    /// <param name="Result">How its wait ended.</param>
    /// <param name="Last">The pipeline as last listed (null: never listed during the wait).</param>
    /// <param name="Elapsed">From the start of the wait to the poll that decided it.</param>
    internal sealed record WaitOutcome(string OrgId, string PipelineId, WaitResult Result, Pipeline? Last, TimeSpan Elapsed)
    {
        /// <summary>The last status seen, exactly as the service sent it (null: never listed).</summary>
        public string? LastStatus => Last == null ? null : Last.StatusText ?? PipelineStatusText.ToApiText(Last.Status);
    }

    /// <summary>Where a wait stands after one poll: for a progress bar and -Verbose.</summary>
    /// <param name="Poll">1 for the first poll.</param>
    /// <param name="Calls">List Pipelines pages this poll read (one set of pages per organisation; 0: the listing failed this time).</param>
    /// <param name="Reached">Pipelines listed in the status so far.</param>
    /// <param name="Failed">Pipelines that ended otherwise than reaching the status (failed, not listed).</param>
    /// <param name="Waiting">Pipelines still waiting.</param>
    /// <param name="Elapsed">From the start of the wait to the end of this poll.</param>
    internal sealed record WaitProgress(int Poll, int Calls, int Reached, int Failed, int Waiting, TimeSpan Elapsed)
    {
        public int Total => Reached + Failed + Waiting;
    }
}
