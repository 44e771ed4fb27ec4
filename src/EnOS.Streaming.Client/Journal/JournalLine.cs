using System;

namespace EnOS.Streaming.Journal
{
    /// <summary>One journal line; older lines lack gateway, listed status and run.</summary>
    internal sealed class JournalLine
    {
        /// <summary>When it was written (null: a hand-written line without a time).</summary>
        public DateTimeOffset? Time { get; set; }
        public string Action { get; set; } = string.Empty;
        public string PipelineId { get; set; } = string.Empty;
        public string? Name { get; set; }
        public string? OrgId { get; set; }

        /// <summary>The gateway's host (and port when not the scheme's default): never a credential.</summary>
        public string? Gateway { get; set; }

        /// <summary>What the listing said the status was, before the pause was sent (null: the pipeline was named by id, not listed).</summary>
        public PipelineStatus? ListedStatus { get; set; }

        public ExecutionMode? ExecutionMode { get; set; }

        /// <summary>Which command run wrote it, so that interleaved runs settle only their own "pausing".</summary>
        public string? Run { get; set; }

        /// <summary>An "unchanged" written by Resume-EnosPipeline -Acknowledge: the entry is settled whatever came before.</summary>
        public bool Acknowledged { get; set; }

        /// <summary>Its line number in the file (1-based), for messages.</summary>
        public int LineNumber { get; set; }

        /// <summary>A pause can have paused only a pipeline listed running (or not listed, or unknown).</summary>
        public static bool CouldBePausedFrom(PipelineStatus? listed) =>
            listed == null || listed == PipelineStatus.Running || listed == PipelineStatus.Unknown;
    }
}
