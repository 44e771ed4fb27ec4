namespace EnOS.Streaming.Bulk
{
    /// <summary>How a bulk command names its work in progress lines and in the report of a run ended early.</summary>
    internal sealed class BulkWording
    {
        /// <param name="progressive">For progress: "Pausing" (Pausing pipelines: 3 of 8).</param>
        /// <param name="items">What was sent, for the report: "pipeline(s) it had sent a request for".</param>
        /// <param name="accepted">"Pause accepted" (… but not reported: pl-1).</param>
        /// <param name="pastTense">"paused" (May have been paused: …).</param>
        /// <param name="checkWith">The command that shows the truth: "Get-EnosPipeline".</param>
        public BulkWording(string progressive, string items, string accepted, string pastTense, string checkWith)
        {
            Progressive = progressive;
            Items = items;
            Accepted = accepted;
            PastTense = pastTense;
            CheckWith = checkWith;
        }

        public string Progressive { get; }
        public string Items { get; }
        public string Accepted { get; }
        public string PastTense { get; }
        public string CheckWith { get; }
    }
}
