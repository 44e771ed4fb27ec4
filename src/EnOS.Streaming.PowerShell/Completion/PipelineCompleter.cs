using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EnOS.Streaming.Completion
{
    /// <summary>
    /// Completes -PipelineId (matching ids or names) or -Name with the connected organisation's
    /// pipelines; the tooltip is the other of the two, then the status.
    /// </summary>
    public abstract class PipelineCompleter(bool completesNames) : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = CompletionCache.PatternFor(wordToComplete);
            var typed = wordToComplete.Trim('\'', '"');
            // A stable sort: within a rank, the listing's order.
            return CompletionCache.Pipelines()
                .Where(pipeline => completesNames
                    ? !string.IsNullOrEmpty(pipeline.Name) && pattern.IsMatch(pipeline.Name!)
                    : pattern.IsMatch(pipeline.PipelineId) || pattern.IsMatch(pipeline.Name ?? string.Empty))
                .OrderBy(pipeline => completesNames ? 0 : RankOfId(commandName, pipeline, typed))
                .Select(pipeline => new CompletionResult(
                    CompletionCache.Quoted(completesNames ? pipeline.Name! : pipeline.PipelineId),
                    DisplayText.Escape(completesNames ? pipeline.Name : $"{pipeline.PipelineId} ({pipeline.Name})"),
                    CompletionResultType.ParameterValue,
                    DisplayText.Escape($"{(completesNames ? pipeline.PipelineId : pipeline.Name)}: {pipeline.StatusText ?? pipeline.Status.ToString()}")));
        }

        /// <summary>Where an id comes in the list: what was typed exactly first (a name turns into its id); then what the command can act on (Resume: the paused).</summary>
        private static int RankOfId(string commandName, Pipeline pipeline, string typed)
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
    }
}
