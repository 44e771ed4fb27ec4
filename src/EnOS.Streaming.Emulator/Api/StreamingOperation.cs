namespace EnOS.Streaming.Emulator.Api
{
    /// <summary>The Stream Processing v2.0 operations the emulator understands.</summary>
    public enum StreamingOperation
    {
        ListPipelines,
        GetDetails,
        PipelineAction,
        GetOffsetLag,
        ResetOffset,
    }
}
