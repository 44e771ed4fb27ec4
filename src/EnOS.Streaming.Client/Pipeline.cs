using System;
using EnOS.Streaming.Model;

namespace EnOS.Streaming
{
    /// <summary>A pipeline as listed; settable, so PowerShell can format, serialise and rebind it by property name.</summary>
    public sealed class Pipeline
    {
        public string PipelineId { get; set; } = string.Empty;
        public string? Name { get; set; }
        public PipelineStatus Status { get; set; }

        /// <summary>The status exactly as the API sent it; useful when <see cref="Status"/> is Unknown.</summary>
        public string? StatusText { get; set; }

        public string? OrgId { get; set; }
        public string? Version { get; set; }

        /// <summary>1 origin, 0 time-window aggregation, 2 multi-merging, 3-5 electric-energy calculations.</summary>
        public int? TemplateType { get; set; }

        public ExecutionMode? ExecutionMode { get; set; }

        /// <summary>The API's updateTime, taken as UTC (it documents no zone); null when unreadable (see <see cref="UpdateTimeText"/>).</summary>
        public DateTime? UpdateTime { get; set; }

        /// <summary>The updateTime text exactly as the API sent it.</summary>
        public string? UpdateTimeText { get; set; }

        /// <summary>A system pipeline; null when not known (Get-EnosPipeline -IncludeSystem fills it in).</summary>
        public bool? IsSystem { get; set; }

        /// <summary>The alarm settings, a JSON document in a string as the API sends it.</summary>
        public string? AlarmConfig { get; set; }

        /// <summary>A copy with another status, for -PassThru after a state change.</summary>
        public Pipeline WithStatus(PipelineStatus status)
        {
            var copy = (Pipeline)MemberwiseClone();
            copy.Status = status;
            copy.StatusText = PipelineStatusText.ToApiText(status);
            return copy;
        }

        /// <summary>The id, so that a pipeline passed where an id is expected means that pipeline.</summary>
        public override string ToString() => PipelineId;

        /// <summary>"pipeline 'name' (id)", escaped and quotes doubled, so a name such as "x' (pl-0001)" cannot pass for another pipeline.</summary>
        public static string Describe(string pipelineId, string? name) =>
            string.IsNullOrEmpty(name) || string.Equals(name, pipelineId, StringComparison.Ordinal)
                ? $"pipeline '{Quoted(pipelineId)}'"
                : $"pipeline '{Quoted(name)}' ({DisplayText.Escape(pipelineId)})";

        private static string Quoted(string? text) => DisplayText.Escape(text).Replace("'", "''");
    }
}
