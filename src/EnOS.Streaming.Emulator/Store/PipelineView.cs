namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>An immutable copy of a pipeline, safe to use outside the lock.</summary>
    public sealed record PipelineView(
        string OrgId, string PipelineId, string PipelineName, string Status, string Version, string UpdateTime,
        string AlarmConfig, int TemplateType, int ExecutionMode, bool IsSystem, int OffsetResets);
}
