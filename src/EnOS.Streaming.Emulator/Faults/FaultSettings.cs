namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>What PUT /_emulator/faults configured.</summary>
    /// <param name="Kinds">The kinds to pick from (null: any kind).</param>
    /// <param name="Limit">The most faults to inject in all (null: no limit), so a test can lose exactly one answer.</param>
    /// <param name="RetryCode">With ApplyThenDrop: the next call for a pipeline whose answer was lost gets this API error code instead (null: answered as usual).</param>
    /// <param name="RetryHttpStatus">The HTTP status of that error answer (default 200; 500 or 400 model a gateway that sends API errors with an HTTP error).</param>
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
