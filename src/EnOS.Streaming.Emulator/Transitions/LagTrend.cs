namespace EnOS.Streaming.Emulator.Transitions
{
    /// <summary>How a running pipeline's Kafka lag moves from one Get Offset Lag call to the next.</summary>
    public enum LagTrend
    {
        /// <summary>The same lag every call (fixed per pipeline).</summary>
        Steady,

        /// <summary>100 less per partition each call, down to 0: a pipeline catching up after a window.</summary>
        Draining,

        /// <summary>100 more per partition each call: a pipeline falling behind.</summary>
        Growing,
    }
}
