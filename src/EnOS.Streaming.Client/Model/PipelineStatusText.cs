namespace EnOS.Streaming.Model
{
    internal static class PipelineStatusText
    {
        public static PipelineStatus Parse(string? text) => text?.Trim().ToUpperInvariant() switch
        {
            "PUBLISHED" => PipelineStatus.Published,
            "RUNNING" => PipelineStatus.Running,
            "PAUSED" => PipelineStatus.Paused,
            "STOPPED" => PipelineStatus.Stopped,
            "FAILED" => PipelineStatus.Failed,
            _ => PipelineStatus.Unknown,
        };

        public static string ToApiText(PipelineStatus status) =>
            status == PipelineStatus.Unknown ? "UNKNOWN" : status.ToString().ToUpperInvariant();
    }
}
