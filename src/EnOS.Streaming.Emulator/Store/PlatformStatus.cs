namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>The status texts the platform uses. Other texts may be forced through the admin API.</summary>
    public static class PlatformStatus
    {
        public const string Published = "PUBLISHED";
        public const string Running = "RUNNING";
        public const string Paused = "PAUSED";
        public const string Stopped = "STOPPED";

        // Not on the list page, but the engine behind it has them (docs/emulator.md, transitions).
        public const string Starting = "STARTING";
        public const string Pausing = "PAUSING";
        public const string Stopping = "STOPPING";
        public const string Failed = "FAILED";
    }
}
