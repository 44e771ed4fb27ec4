using System.Collections.Generic;
using System.Linq;

namespace EnOS.Streaming.Journal
{
    /// <summary>A journal as read: one entry per pipeline, in the order they first appear, and what could not be read, by line.</summary>
    internal sealed class JournalReading
    {
        internal JournalReading(IReadOnlyList<JournalEntry> entries, IReadOnlyList<string> problems)
        {
            Entries = entries;
            Problems = problems;
        }

        public IReadOnlyList<JournalEntry> Entries { get; }

        /// <summary>One sentence per line that was skipped or read with a doubt ("Line 7 is not JSON …").</summary>
        public IReadOnlyList<string> Problems { get; }

        /// <summary>The entries the way back acts on: paused, or pausing (resumed only if listed PAUSED).</summary>
        public IReadOnlyList<JournalEntry> Pending => Entries.Where(entry => entry.IsPending).ToList();
    }
}
