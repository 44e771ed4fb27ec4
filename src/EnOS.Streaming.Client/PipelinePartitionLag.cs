using System;

namespace EnOS.Streaming
{
    /// <summary>The Kafka offset and lag of one partition of a running pipeline's input topic.</summary>
    public sealed class PipelinePartitionLag
    {
        public string PipelineId { get; set; } = string.Empty;

        /// <summary>The pipeline's name, when it is known (from the piped object or its details).</summary>
        public string? Name { get; set; }

        public string? TopicName { get; set; }

        /// <summary>The partition's position in the API's lagAndOffset list.</summary>
        public int Partition { get; set; }

        public long? Lag { get; set; }
        public long? Offset { get; set; }

        /// <summary>The API's ts as sent (Unix milliseconds in the documented samples).</summary>
        public long? Ts { get; set; }

        public DateTimeOffset? Time => Ts.HasValue && Ts.Value > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(Ts.Value) : (DateTimeOffset?)null;
    }
}
