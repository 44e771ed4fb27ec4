using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EnOS.Streaming.Completion
{
    /// <summary>Completes -PipelineId with the ids of the connected organisation, matching ids or names.</summary>
    public sealed class PipelineIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = CompletionCache.PatternFor(wordToComplete);
            return CompletionCache.Pipelines()
                .Where(p => pattern.IsMatch(p.PipelineId) || pattern.IsMatch(p.Name ?? string.Empty))
                .Select(p => new CompletionResult(CompletionCache.Quoted(p.PipelineId), DisplayText.Escape($"{p.PipelineId} ({p.Name})"),
                    CompletionResultType.ParameterValue, DisplayText.Escape($"{p.Name}: {p.StatusText ?? p.Status.ToString()}")));
        }
    }
}
