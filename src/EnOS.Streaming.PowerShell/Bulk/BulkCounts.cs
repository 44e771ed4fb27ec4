using System;
using System.Collections.Generic;

namespace EnOS.Streaming.Bulk
{
    /// <summary>
    /// Every item received ends as exactly one of succeeded (tallied by outcome: "paused", "already
    /// paused", "saved"), failed, skipped (-WhatIf or not confirmed) or repeated.
    /// </summary>
    internal sealed class BulkCounts
    {
        private readonly Dictionary<string, int> _outcomes = new Dictionary<string, int>(StringComparer.Ordinal);

        public int Received { get; private set; }
        public int Succeeded { get; private set; }
        public int Failed { get; private set; }
        public int Skipped { get; private set; }
        public int Repeated { get; private set; }

        /// <summary>Items received and not yet accounted for: in flight, or held for a later phase.</summary>
        public int Open => Received - Succeeded - Failed - Skipped - Repeated;

        /// <summary>Items accounted for, for progress.</summary>
        public int Done => Received - Open;

        public void OnReceived(int count = 1) => Received += count;
        public void OnFailed(int count = 1) => Failed += count;
        public void OnSkipped() => Skipped++;
        public void OnRepeated() => Repeated++;

        public void OnSucceeded(string outcome)
        {
            Succeeded++;
            _outcomes[outcome] = Of(outcome) + 1;
        }

        /// <summary>How many succeeded with <paramref name="outcome"/>.</summary>
        public int Of(string outcome) => _outcomes.TryGetValue(outcome, out var count) ? count : 0;

        /// <summary>What every closing line ends with when it applies: ", 2 skipped (-WhatIf or not confirmed), 1 repeated in the input (handled once)".</summary>
        public string Extras() =>
            (Skipped > 0 ? $", {Skipped} skipped (-WhatIf or not confirmed)" : string.Empty)
            + (Repeated > 0 ? $", {Repeated} repeated in the input (handled once)" : string.Empty);
    }
}
