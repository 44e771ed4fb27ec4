using System;
using System.Collections.Generic;

namespace EnOS.Streaming.Waiting
{
    /// <summary>
    /// The statuses after which a pipeline will not reach another by itself, so a wait ends for it
    /// at once (README, "Waiting for a status"). Every other status that is not the one waited for,
    /// documented or not (STARTING, an engine's own words), counts as still moving until the time is up.
    /// </summary>
    internal static class FailedStatuses
    {
        private static readonly HashSet<string> Failed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "FAILED",
        };

        public static IEnumerable<string> All => Failed;

        public static bool IsFailed(string? statusText) => statusText != null && Failed.Contains(statusText.Trim());
    }
}
