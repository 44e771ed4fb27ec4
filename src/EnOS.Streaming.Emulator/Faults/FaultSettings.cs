namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>What PUT /_emulator/faults configured (docs/emulator.md). <c>Kinds</c> null: any kind.</summary>
    public sealed record FaultSettings(
        double Rate, IReadOnlyList<FaultKind>? Kinds = null, int RetryAfterSeconds = 1, int SlowMs = 2000, bool ApplyThenDrop = false,
        int? Seed = null, int? Limit = null, int? RetryCode = null, int RetryHttpStatus = 200) : IAdminBody<FaultSettings>
    {
        public static readonly FaultSettings None = new(0, []);

        public FaultSettings Checked()
        {
            Check.Range(Rate, 0, 1, "rate");
            Check.Range(RetryAfterSeconds, 0, 86_400, "retryAfterSeconds");
            Check.Range(SlowMs, 0, 3_600_000, "slowMs");
            Check.Range(Limit, 0, int.MaxValue, "limit");
            Check.Range(RetryCode, 1, int.MaxValue, "retryCode");
            Check.That(RetryHttpStatus is 200 or 400 or 500, "'retryHttpStatus' must be 200, 400 or 500.");
            Check.That(Kinds is null || Kinds.All(Enum.IsDefined), $"Unknown fault kind. Known: {Check.Names<FaultKind>()}.");
            return Kinds is null ? this with { Kinds = Enum.GetValues<FaultKind>() } : this;
        }
    }
}
