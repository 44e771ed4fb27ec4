namespace EnOS.Streaming.Emulator.Transitions
{
    /// <summary>
    /// What --transition-ms and friends, or PUT /_emulator/transitions, configured: how pipelines
    /// move between statuses (docs/emulator.md). <c>FailEvery</c> null: no start fails.
    /// </summary>
    public sealed record TransitionSettings(
        int TransitionMs = 0, int? FailEvery = null, LagTrend LagTrend = LagTrend.Steady, bool SystemPipelinesFirst = false)
        : IAdminBody<TransitionSettings>
    {
        public static readonly TransitionSettings None = new();

        public TransitionSettings Checked()
        {
            Check.Range(TransitionMs, 0, 3_600_000, "transitionMs");
            Check.Range(FailEvery, 1, int.MaxValue, "failEvery");
            Check.That(Enum.IsDefined(LagTrend), $"'lagTrend' must be one of {Check.Names<LagTrend>()}.");
            return this;
        }
    }
}
