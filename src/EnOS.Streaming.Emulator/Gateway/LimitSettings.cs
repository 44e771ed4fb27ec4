namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>What PUT /_emulator/limits configured (see docs/emulator.md).</summary>
    /// <param name="RatePerSecond">Streaming calls per second the app may make (0: no limit); a token bucket holding one second's worth.</param>
    /// <param name="RetryAfter">Whether a 429 carries Retry-After (whole seconds until a call would be accepted).</param>
    /// <param name="Headers">Whether every streaming answer carries RateLimit-Limit/-Remaining/-Reset/-Policy.</param>
    /// <param name="StartLockMs">After each accepted start, other starts of the organisation get 61121 for this long.</param>
    /// <param name="DownAfterCalls">The gateway goes down (stops listening, the process exits) at streaming call N+1.</param>
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
