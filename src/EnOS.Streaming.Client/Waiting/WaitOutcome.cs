using System;
using EnOS.Streaming.Model;

namespace EnOS.Streaming.Waiting
{
    /// <summary>The end of the wait for one pipeline, reported as soon as it is known.</summary>
    /// <param name="OrgId">The pipeline's organisation.</param>
    /// <param name="PipelineId">The pipeline waited for.</param>
    /// <param name="Result">How its wait ended.</param>
    /// <param name="Last">The pipeline as last listed (null: never listed during the wait).</param>
    /// <param name="Elapsed">From the start of the wait to the poll that decided it.</param>
    internal sealed record WaitOutcome(string OrgId, string PipelineId, WaitResult Result, Pipeline? Last, TimeSpan Elapsed)
    {
        /// <summary>The last status seen, exactly as the service sent it (null: never listed).</summary>
        public string? LastStatus => Last == null ? null : Last.StatusText ?? PipelineStatusText.ToApiText(Last.Status);
    }
}
