using System;
using EnOS.Streaming.Model;

namespace EnOS.Streaming
{
    /// <summary>One pipeline's health: its status and its total lag sampled twice.</summary>
    public sealed class PipelineHealth
    {
        public string PipelineId { get; set; } = string.Empty;
        public string? Name { get; set; }
        public string? OrgId { get; set; }

        /// <summary>The status exactly as listed.</summary>
        public string? Status { get; set; }

        public HealthVerdict Verdict { get; set; }

        /// <summary>The lag summed over partitions at the first and the second sample (null: not sampled, the pipeline was not running).</summary>
        public long? LagBefore { get; set; }
        public long? LagAfter { get; set; }

        public long? LagChange => LagBefore.HasValue && LagAfter.HasValue ? LagAfter - LagBefore : null;

        /// <summary>Time between the two samples.</summary>
        public TimeSpan Interval { get; set; }

        /// <summary>The verdict from the status and the two samples.</summary>
        public static HealthVerdict Judge(string? statusText, long? before, long? after)
        {
            var status = PipelineStatusText.Parse(statusText);
            if (status == PipelineStatus.Failed)
            {
                return HealthVerdict.Failed;
            }

            if (status != PipelineStatus.Running || before == null || after == null)
            {
                return HealthVerdict.NotRunning;
            }

            return after < before ? HealthVerdict.Draining : after > before ? HealthVerdict.Growing : HealthVerdict.Healthy;
        }
    }
}
