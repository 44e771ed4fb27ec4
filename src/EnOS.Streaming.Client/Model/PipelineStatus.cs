namespace EnOS.Streaming
{
    /// <summary>The run state of a stream processing pipeline, as the List Pipelines API reports it.</summary>
    public enum PipelineStatus
    {
        /// <summary>A status this version of the module does not know; <see cref="Pipeline.StatusText"/> keeps the raw value.</summary>
        Unknown = 0,
        Published,
        Running,
        Paused,
        Stopped,
    }

    /// <summary>How a pipeline runs: the API's executionMode 0 (standalone) or 1 (cluster).</summary>
    public enum ExecutionMode
    {
        Standalone = 0,
        Cluster = 1,
    }

    /// <summary>Converts between the API's status text and <see cref="PipelineStatus"/>.</summary>
    public static class PipelineStatusText
    {
        public static PipelineStatus Parse(string? text)
        {
            switch (text?.Trim().ToUpperInvariant())
            {
                case "PUBLISHED": return PipelineStatus.Published;
                case "RUNNING": return PipelineStatus.Running;
                case "PAUSED": return PipelineStatus.Paused;
                case "STOPPED": return PipelineStatus.Stopped;
                default: return PipelineStatus.Unknown;
            }
        }

        public static string ToApiText(PipelineStatus status) =>
            status == PipelineStatus.Unknown ? "UNKNOWN" : status.ToString().ToUpperInvariant();
    }
}
