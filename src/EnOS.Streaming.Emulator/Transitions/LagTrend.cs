namespace EnOS.Streaming.Emulator.Transitions
{
    /// <summary>How a running pipeline's Kafka lag moves from one Get Offset Lag call to the next (docs/emulator.md).</summary>
    public enum LagTrend
    {
        Steady,
        Draining,
        Growing,
    }
}
