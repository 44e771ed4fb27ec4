using System;
using System.Linq;

namespace EnOS.Streaming.Journal
{
    /// <summary>What one journal line says happened to a pipeline, and the state a journal leaves it in.</summary>
    internal static class JournalAction
    {
        /// <summary>A pause is about to be sent: if nothing follows, its outcome is unknown (the run was killed, or the answer lost).</summary>
        public const string Pausing = "pausing";

        /// <summary>This run paused it (the service accepted the pause).</summary>
        public const string Paused = "paused";

        /// <summary>The pause did not change it (already paused, or refused), or an operator settled the entry (-Acknowledge).</summary>
        public const string Unchanged = "unchanged";

        /// <summary>It was resumed (or found running) from this journal.</summary>
        public const string Resumed = "resumed";

        private static readonly string[] Known = { Pausing, Paused, Unchanged, Resumed };

        /// <summary>"pausing, paused, unchanged, resumed": for a message about a line that has none of them.</summary>
        public static string KnownList => string.Join(", ", Known);

        /// <summary>The action as written (lower case), or null; <paramref name="exact"/> is false when only the case differed.</summary>
        public static string? Parse(string text, out bool exact)
        {
            var action = Known.FirstOrDefault(known => string.Equals(known, text, StringComparison.OrdinalIgnoreCase));
            exact = string.Equals(action, text, StringComparison.Ordinal);
            return action;
        }
    }
}
