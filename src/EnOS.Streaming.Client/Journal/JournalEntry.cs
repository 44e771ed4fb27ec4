using System;

namespace EnOS.Streaming
{
    /// <summary>One line of a maintenance journal.</summary>
    public sealed class JournalEntry
    {
        public DateTimeOffset Time { get; set; }
        public string Action { get; set; } = string.Empty;
        public string PipelineId { get; set; } = string.Empty;
        public string? Name { get; set; }
        public string? OrgId { get; set; }
        public ExecutionMode? ExecutionMode { get; set; }
    }
}
