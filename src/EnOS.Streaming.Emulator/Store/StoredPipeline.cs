namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>One pipeline's mutable state. Only touched inside <see cref="PipelineStore"/>'s lock.</summary>
    public sealed class StoredPipeline
    {
        private string _status = "";
        private string? _settlesTo;
        private DateTimeOffset _settlesAt;

        public required string Id { get; init; }
        public required string Name { get; set; }

        /// <summary>The listed status; setting it cancels a pending one.</summary>
        public required string Status
        {
            get => _status;
            set
            {
                _status = value;
                _settlesTo = null;
            }
        }

        public bool IsSystem { get; init; }
        public int ExecutionMode { get; set; }
        public int TemplateType { get; set; }
        public string Version { get; set; } = "1.0";

        // Fixed, as docs/emulator.md seeds them: nothing the emulator does changes them.
        public string UpdateTime => "2026-11-20 08:15:00";
        public string AlarmConfig => "{\"alarmMode\":1}";

        /// <summary>The saved design (Save Pipeline) and the released one (Release Pipeline); null until released.</summary>
        public StoredDefinition? Saved { get; set; }
        public StoredDefinition? Released { get; set; }

        /// <summary>False: Reset Offset answers 61168 (the Kafka average rate cannot be read).</summary>
        public bool KafkaRateAvailable { get; set; } = true;
        public int OffsetResets { get; set; }

        /// <summary>This pipeline's own lag trend (null: the emulator's), and the Get Offset Lag calls since it was set.</summary>
        public LagTrend? LagTrend { get; set; }
        public int LagCalls { get; set; }

        /// <summary>The status becomes <paramref name="status"/> at <paramref name="at"/> (see <see cref="Settle"/>).</summary>
        public void SettleLater(string status, DateTimeOffset at)
        {
            _settlesTo = status;
            _settlesAt = at;
        }

        /// <summary>A transition whose time has come ends: called by the store before each read.</summary>
        public StoredPipeline Settle(DateTimeOffset now)
        {
            if (_settlesTo is { } status && now >= _settlesAt)
            {
                Status = status;
            }

            return this;
        }

        public PipelineView View(string orgId) =>
            new(orgId, Id, Name, Status, Version, UpdateTime, AlarmConfig, TemplateType, ExecutionMode, IsSystem, OffsetResets);
    }
}
