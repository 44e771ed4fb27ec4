namespace EnOS.Streaming.Bulk
{
    /// <summary>How a bulk command names its work in progress lines and in the report of a run ended early.</summary>
    internal sealed class BulkWording
    {
        /// <summary>For progress: "Pausing" (Pausing pipelines: 3 of 8).</summary>
        public string Progressive { get; set; } = string.Empty;

        /// <summary>What was sent, for the report: "pipeline(s) it had sent a request for".</summary>
        public string Items { get; set; } = string.Empty;

        /// <summary>"Pause accepted" (… but not reported: pl-1).</summary>
        public string Accepted { get; set; } = string.Empty;

        /// <summary>"paused" (May have been paused: …).</summary>
        public string PastTense { get; set; } = string.Empty;

        /// <summary>The command that shows the truth: "Get-EnosPipeline".</summary>
        public string CheckWith { get; set; } = string.Empty;
    }
}
