using System;
using System.Management.Automation;

namespace EnOS.Streaming.Bulk
{
    /// <summary>What a bulk command tells its <see cref="BulkRun{TItem, TResult}"/>: how to name and report its items.</summary>
    internal interface IBulkCommand<TItem, TResult>
    {
        /// <summary>How progress names the item: "pipeline 'wind-line-3' (pl-0003)".</summary>
        string Describe(TItem item);

        /// <summary>How the report of a run ended early names the item: "pl-0003".</summary>
        string Identify(TItem item);

        /// <summary>Whether an accepted request changed something (a pause, not "already paused"), for that report.</summary>
        bool Changed(TItem item, TResult result);

        /// <summary>The item's error record, for a failure before or after sending.</summary>
        ErrorRecord ErrorFor(TItem item, Exception exception);

        /// <summary>On the pipeline thread: writes what a success outputs, and returns the outcome it is tallied under.</summary>
        string Report(TItem item, TResult result);
    }
}
