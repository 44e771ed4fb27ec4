namespace EnOS.Streaming.Model
{
    internal static class PipelineStatusText
    {
        public static PipelineStatus Parse(string? text)
        {
            switch (text?.Trim().ToUpperInvariant())
            {
                case "PUBLISHED": return PipelineStatus.Published;
                case "RUNNING": return PipelineStatus.Running;
                case "PAUSED": return PipelineStatus.Paused;
                case "STOPPED": return PipelineStatus.Stopped;
                case "FAILED": return PipelineStatus.Failed;
                default: return PipelineStatus.Unknown;
            }
        }

        public static string ToApiText(PipelineStatus status) =>
            status == PipelineStatus.Unknown ? "UNKNOWN" : status.ToString().ToUpperInvariant();
    }
}
