namespace EnOS.Streaming.Emulator.Transitions
{
    /// <summary>
    /// How the service moves a pipeline once it accepted an action: through a transitional status
    /// for a while, and for a start, to RUNNING or FAILED. The pipeline settles lazily: the store
    /// resolves the pending status the first time it is read after the delay.
    /// </summary>
    public sealed class PipelineTransitions(EmulatorOptions options, TimeProvider clock)
        : AdminSwitch<TransitionSettings>(options.Transitions)
    {
        // What failEvery counts: the starts accepted since the settings were set.
        private long _starts;

        public override object View => new { settings = Settings, starts = Interlocked.Read(ref _starts) };

        protected override void Restart(TransitionSettings settings) => Interlocked.Exchange(ref _starts, 0);

        /// <summary>Moves the pipeline to <paramref name="status"/>, through <paramref name="transitional"/> for the configured delay.</summary>
        public ApiResult Move(StoredPipeline pipeline, string transitional, string status)
        {
            var delay = Settings.TransitionMs;
            pipeline.Status = delay == 0 ? status : transitional;
            if (delay > 0)
            {
                pipeline.Pending = (status, clock.GetUtcNow().AddMilliseconds(delay));
            }

            return ApiResult.Ok("");
        }

        /// <summary>
        /// An accepted start: STARTING, then RUNNING, or FAILED when it is the k-th start or the
        /// pipeline's system pipelines are not running (<paramref name="systemPipelinesRunning"/>).
        /// </summary>
        public ApiResult Start(StoredPipeline pipeline, Func<bool> systemPipelinesRunning)
        {
            var settings = Settings;
            var n = Interlocked.Increment(ref _starts);
            var fails = (settings.FailEvery is { } k && n % k == 0)
                || (settings.SystemPipelinesFirst && !pipeline.IsSystem && !systemPipelinesRunning());
            return Move(pipeline, PlatformStatus.Starting, fails ? PlatformStatus.Failed : PlatformStatus.Running);
        }

        /// <summary>The lag of one partition at this call, from the pipeline's fixed base lag.</summary>
        public long Lag(StoredPipeline pipeline, long baseLag) =>
            (pipeline.LagTrend ?? Settings.LagTrend) switch
            {
                LagTrend.Draining => Math.Max(0, baseLag + 1000 - (100 * pipeline.LagCalls)),
                LagTrend.Growing => baseLag + (100 * pipeline.LagCalls),
                _ => baseLag,
            };
    }
}
