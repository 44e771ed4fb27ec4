using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EnOS.Streaming.Completion
{
    /// <summary>Completes a parameter with the connected organisation's pipelines; the tooltip ends with the status.</summary>
    public abstract class PipelineCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = CompletionCache.PatternFor(wordToComplete);
            var typed = wordToComplete.Trim('\'', '"');
            // A stable sort: within a rank, the listing's order.
            return CompletionCache.Pipelines()
                .Where(pipeline => Matches(pipeline, pattern))
                .OrderBy(pipeline => Rank(commandName, pipeline, typed))
                .Select(pipeline => new CompletionResult(CompletionCache.Quoted(ValueOf(pipeline)), DisplayText.Escape(ListItemOf(pipeline)),
                    CompletionResultType.ParameterValue, DisplayText.Escape($"{OtherNameOf(pipeline)}: {pipeline.StatusText ?? pipeline.Status.ToString()}")));
        }

        private protected abstract bool Matches(Pipeline pipeline, WildcardPattern pattern);

        /// <summary>Where a matching pipeline comes in the list (lower first); by default, all alike.</summary>
        private protected virtual int Rank(string commandName, Pipeline pipeline, string typed) => 0;

        /// <summary>The parameter's value for a matching pipeline.</summary>
        private protected abstract string ValueOf(Pipeline pipeline);

        private protected abstract string? ListItemOf(Pipeline pipeline);

        /// <summary>The pipeline's other name (its name when completing ids), for the tooltip.</summary>
        private protected abstract string? OtherNameOf(Pipeline pipeline);
    }
}
