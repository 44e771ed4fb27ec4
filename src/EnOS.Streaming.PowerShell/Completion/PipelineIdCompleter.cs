using System;
using System.Management.Automation;

namespace EnOS.Streaming.Completion
{
    /// <summary>Completes -PipelineId with the ids of the connected organisation, matching ids or names.</summary>
    public sealed class PipelineIdCompleter : PipelineCompleter
    {
        private protected override bool Matches(Pipeline pipeline, WildcardPattern pattern) =>
            pattern.IsMatch(pipeline.PipelineId) || pattern.IsMatch(pipeline.Name ?? string.Empty);

        /// <summary>What was typed exactly first (a name turns into its id); then what the command can act on (Resume: the paused).</summary>
        private protected override int Rank(string commandName, Pipeline pipeline, string typed)
        {
            if (string.Equals(pipeline.PipelineId, typed, StringComparison.OrdinalIgnoreCase)
                || string.Equals(pipeline.Name, typed, StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            var wanted = commandName.EndsWith("Resume-EnosPipeline", StringComparison.OrdinalIgnoreCase) ? PipelineStatus.Paused
                : commandName.EndsWith("Suspend-EnosPipeline", StringComparison.OrdinalIgnoreCase) ? PipelineStatus.Running
                : (PipelineStatus?)null;
            return wanted == null || pipeline.Status == wanted ? 1 : 2;
        }

        private protected override string ValueOf(Pipeline pipeline) => pipeline.PipelineId;

        private protected override string? ListItemOf(Pipeline pipeline) => $"{pipeline.PipelineId} ({pipeline.Name})";

        private protected override string? OtherNameOf(Pipeline pipeline) => pipeline.Name;
    }
}
