namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>One pipeline's mutable state. Only touched inside <see cref="PipelineStore"/>'s lock.</summary>
    public sealed class StoredPipeline
    {
        public required string Id { get; init; }
        public required string Name { get; set; }
        public required string Status { get; set; }
        public required bool IsSystem { get; init; }
        public int ExecutionMode { get; set; }
        public int TemplateType { get; set; }
        public string Version { get; set; } = "1.0";
        public string UpdateTime { get; set; } = PipelineStore.SeedUpdateTime;
        public string AlarmConfig { get; set; } = PipelineStore.SeedAlarmConfig;

        /// <summary>The saved design (Save Pipeline) and the released one (Release Pipeline); null until released.</summary>
        public StoredDefinition? Saved { get; set; }
        public StoredDefinition? Released { get; set; }

        /// <summary>False: Reset Offset answers 61168 (the Kafka average rate cannot be read).</summary>
        public bool KafkaRateAvailable { get; set; } = true;
        public int OffsetResets { get; set; }

        public PipelineView View(string orgId) =>
            new(orgId, Id, Name, Status, Version, UpdateTime, AlarmConfig, TemplateType, ExecutionMode, IsSystem, OffsetResets);
    }
}
