namespace EnOS.Streaming
{
    /// <summary>What one journal line says happened to a pipeline.</summary>
    public static class JournalAction
    {
        /// <summary>A pause is about to be sent: if nothing follows, its outcome is unknown (the run was killed).</summary>
        public const string Pausing = "pausing";

        /// <summary>This run paused it (the service accepted the pause).</summary>
        public const string Paused = "paused";

        /// <summary>The pause did not change it (already paused, or refused): nothing to resume.</summary>
        public const string Unchanged = "unchanged";

        /// <summary>It was resumed (or found running) from this journal.</summary>
        public const string Resumed = "resumed";
    }
}
