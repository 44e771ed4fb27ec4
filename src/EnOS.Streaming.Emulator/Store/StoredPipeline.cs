namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>One pipeline's mutable state. Only touched inside <see cref="PipelineStore"/>'s lock.</summary>
    public sealed class StoredPipeline
    {
        private string _status = "";

        public required string Id { get; init; }
        public required string Name { get; set; }

        /// <summary>The listed status; setting it cancels a pending one.</summary>
        public required string Status
        {
            get => _status;
            set => (_status, Pending) = (value, null);
        }

        /// <summary>The status this one becomes at a time, once read after it (see <see cref="Settle"/>).</summary>
        public (string Status, DateTimeOffset At)? Pending { get; set; }

        public bool IsSystem { get; init; }
        public int ExecutionMode { get; set; }
        public int TemplateType { get; set; }
        public string Version { get; set; } = "1.0";

        /// <summary>The saved design (Save Pipeline) and the released one (Release Pipeline); null until released.</summary>
        public StoredDefinition? Saved { get; set; }
        public StoredDefinition? Released { get; set; }

        /// <summary>False: Reset Offset answers 61168 (the Kafka average rate cannot be read).</summary>
        public bool KafkaRateAvailable { get; set; } = true;
        public int OffsetResets { get; set; }

        /// <summary>This pipeline's own lag trend (null: the emulator's), and the Get Offset Lag calls since it was set.</summary>
        public LagTrend? LagTrend { get; set; }
        public int LagCalls { get; set; }

        /// <summary>A transition whose time has come ends: called by the store before each read.</summary>
        public StoredPipeline Settle(DateTimeOffset now)
        {
            if (Pending is { } pending && now >= pending.At)
            {
                Status = pending.Status;
            }

            return this;
        }

        /// <summary>A copy to use outside the lock; the update time and alarm configuration are fixed, as docs/emulator.md seeds them.</summary>
        public PipelineView View(string orgId) =>
            new(orgId, Id, Name, Status, Version, "2026-11-20 08:15:00", "{\"alarmMode\":1}", TemplateType, ExecutionMode, IsSystem, OffsetResets);
    }
}
