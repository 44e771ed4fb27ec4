namespace EnOS.Streaming.Emulator
{
    /// <summary>What PUT /_emulator/faults configured.</summary>
    /// <param name="Limit">The most faults to inject in all (null: no limit), so a test can lose exactly one answer.</param>
    /// <param name="RetryCode">With ApplyThenDrop: the next call for a pipeline whose answer was lost gets this API error code instead (null: answered as usual).</param>
    /// <param name="RetryHttpStatus">The HTTP status of that error answer (default 200; 500 or 400 model a gateway that sends API errors with an HTTP error).</param>
    public sealed record FaultSettings(
        double Rate, IReadOnlyList<FaultKind> Kinds, int RetryAfterSeconds, int SlowMs, bool ApplyThenDrop, int? Seed, int? Limit = null,
        int? RetryCode = null, int RetryHttpStatus = 200)
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
            retryCode = RetryCode,
            retryHttpStatus = RetryHttpStatus,
        };
    }
}
