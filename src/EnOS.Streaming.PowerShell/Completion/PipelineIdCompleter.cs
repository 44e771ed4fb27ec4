using System.Management.Automation;

namespace EnOS.Streaming.Completion
{
    /// <summary>Completes -PipelineId with the ids of the connected organisation, matching ids or names.</summary>
    public sealed class PipelineIdCompleter : PipelineCompleter
    {
        private protected override bool Matches(Pipeline pipeline, WildcardPattern pattern) =>
            pattern.IsMatch(pipeline.PipelineId) || pattern.IsMatch(pipeline.Name ?? string.Empty);

        private protected override string ValueOf(Pipeline pipeline) => pipeline.PipelineId;

        private protected override string? ListItemOf(Pipeline pipeline) => $"{pipeline.PipelineId} ({pipeline.Name})";

        private protected override string? OtherNameOf(Pipeline pipeline) => pipeline.Name;
    }
}
