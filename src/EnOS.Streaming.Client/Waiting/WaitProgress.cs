using System;

namespace EnOS.Streaming.Waiting
{
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
