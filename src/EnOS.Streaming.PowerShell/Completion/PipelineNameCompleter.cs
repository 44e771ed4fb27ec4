using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EnOS.Streaming.Completion
{
    /// <summary>Completes -Name with the pipeline names of the connected organisation.</summary>
    public sealed class PipelineNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = CompletionCache.PatternFor(wordToComplete);
            return CompletionCache.Pipelines()
                .Where(p => !string.IsNullOrEmpty(p.Name) && pattern.IsMatch(p.Name!))
                .Select(p => new CompletionResult(CompletionCache.Quoted(p.Name!), DisplayText.Escape(p.Name),
                    CompletionResultType.ParameterValue, DisplayText.Escape($"{p.PipelineId}: {p.StatusText ?? p.Status.ToString()}")));
        }
    }
}
