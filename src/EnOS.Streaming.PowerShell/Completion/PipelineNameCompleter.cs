using System.Management.Automation;

namespace EnOS.Streaming.Completion
{
    /// <summary>Completes -Name with the pipeline names of the connected organisation.</summary>
    public sealed class PipelineNameCompleter : PipelineCompleter
    {
        private protected override bool Matches(Pipeline pipeline, WildcardPattern pattern) =>
            !string.IsNullOrEmpty(pipeline.Name) && pattern.IsMatch(pipeline.Name!);

        private protected override string ValueOf(Pipeline pipeline) => pipeline.Name!;

        private protected override string? ListItemOf(Pipeline pipeline) => pipeline.Name;

        private protected override string? OtherNameOf(Pipeline pipeline) => pipeline.PipelineId;
    }
}
