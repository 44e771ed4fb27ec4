using System.Collections.Generic;
using System.Linq;

namespace EnOS.Streaming.Journal
{
    /// <summary>A journal as read.</summary>
    /// <param name="Entries">One entry per pipeline, in the order they first appear.</param>
    /// <param name="Problems">One sentence per line that was skipped or read with a doubt ("Line 7 is not JSON …").</param>
    internal sealed record JournalReading(IReadOnlyList<JournalEntry> Entries, IReadOnlyList<string> Problems)
    {
        /// <summary>The entries the way back acts on: paused, or pausing (resumed only if listed PAUSED).</summary>
        public IReadOnlyList<JournalEntry> Pending => Entries.Where(entry => entry.IsPending).ToList();
    }
}
