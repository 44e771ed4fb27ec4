namespace EnOS.Streaming.Bulk
{
    /// <summary>How a bulk command names its work in progress lines and in the report of a run ended early.</summary>
    /// <param name="Progressive">For progress: "Pausing" (Pausing pipelines: 3 of 8).</param>
    /// <param name="Items">What was sent, for the report: "pipeline(s) it had sent a request for".</param>
    /// <param name="Accepted">"Pause accepted" (… but not reported: pl-1).</param>
    /// <param name="PastTense">"paused" (May have been paused: …).</param>
    /// <param name="CheckWith">The command that shows the truth: "Get-EnosPipeline".</param>
    internal sealed record BulkWording(string Progressive, string Items, string Accepted, string PastTense, string CheckWith);
}
