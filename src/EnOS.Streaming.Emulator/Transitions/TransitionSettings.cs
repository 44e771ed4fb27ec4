namespace EnOS.Streaming.Emulator.Transitions
{
    /// <summary>
    /// What --transition-ms and friends, or PUT /_emulator/transitions, configured: how pipelines
    /// move between statuses (see docs/emulator.md).
    /// </summary>
    /// <param name="TransitionMs">How long a started, paused or stopped pipeline shows STARTING, PAUSING or STOPPING first (0: no transitional status).</param>
    /// <param name="FailEvery">Every k-th accepted start (counted since these settings were set) ends FAILED instead of RUNNING (null: none).</param>
    /// <param name="LagTrend">How the lag of pipelines without their own trend moves between calls.</param>
    /// <param name="SystemPipelinesFirst">A user pipeline started while a system pipeline of its message channel is not RUNNING ends FAILED.</param>
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
