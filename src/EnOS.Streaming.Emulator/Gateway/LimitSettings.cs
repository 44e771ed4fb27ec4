namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>What PUT /_emulator/limits configured (docs/emulator.md); <c>RatePerSecond</c> 0: no limit.</summary>
    public sealed record LimitSettings(double RatePerSecond = 0, bool RetryAfter = true, bool Headers = false, int StartLockMs = 0,
        int? DownAfterCalls = null, IReadOnlyDictionary<string, string>? ExtraHeaders = null, int? ExtraHeadersFor = null)
        : IAdminBody<LimitSettings>
    {
        public static readonly LimitSettings None = new();

        public LimitSettings Checked()
        {
            Check.Range(RatePerSecond, 0, 100_000, "ratePerSecond");
            Check.Range(StartLockMs, 0, 3_600_000, "startLockMs");
            Check.Range(DownAfterCalls, 0, int.MaxValue, "downAfterCalls");
            Check.Range(ExtraHeadersFor, 0, int.MaxValue, "extraHeadersFor");
            return this;
        }
    }
}
