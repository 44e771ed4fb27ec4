namespace EnOS.Streaming.Model
{
    internal sealed class StartPipelineRequest
    {
        public ExecutionMode ExecutionMode { get; set; } = ExecutionMode.Standalone;

        /// <summary>Records per second read from Kafka; the API requires it.</summary>
        public int KafkaRate { get; set; } = 1000;

        /// <summary>Optional resource settings, sent as the resourceConfig object.</summary>
        public System.Collections.Generic.IDictionary<string, object?>? ResourceConfig { get; set; }
    }
}
