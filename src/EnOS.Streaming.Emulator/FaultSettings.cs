namespace EnOS.Streaming.Emulator
{
    /// <summary>What PUT /_emulator/faults configured.</summary>
    /// <param name="Limit">The most faults to inject in all (null: no limit), so a test can lose exactly one answer.</param>
    public sealed record FaultSettings(
        double Rate, IReadOnlyList<FaultKind> Kinds, int RetryAfterSeconds, int SlowMs, bool ApplyThenDrop, int? Seed, int? Limit = null)
    {
        public static readonly FaultSettings None = new(0, [], 1, 2000, false, null);

        public object ToJson() => new
        {
            rate = Rate,
            kinds = Kinds.Select(FaultInjector.Name).ToArray(),
            retryAfterSeconds = RetryAfterSeconds,
            slowMs = SlowMs,
            applyThenDrop = ApplyThenDrop,
            seed = Seed,
            limit = Limit,
        };
    }
}
