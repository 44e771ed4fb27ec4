using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Session;

namespace EnOS.Streaming.Completion
{
    /// <summary>
    /// The pipelines of the connected organisation, for tab completion: fetched once, kept for a
    /// short while, bounded in count and time so that a press of Tab never hangs the console.
    /// Without a connection it offers nothing and sends nothing.
    /// </summary>
    internal static class CompletionCache
    {
        private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);
        private const int MaxPipelines = 2000;

        // One entry: the list of the connection in use (a new connection replaces it).
        private static Tuple<StreamingConnection, DateTime, IReadOnlyList<Pipeline>>? _cached;

        public static IReadOnlyList<Pipeline> Pipelines()
        {
            var connection = ModuleSession.Active;
            if (connection == null)
            {
                return Array.Empty<Pipeline>();
            }

            var cached = _cached;
            if (cached != null && ReferenceEquals(cached.Item1, connection) && DateTime.UtcNow - cached.Item2 < Lifetime)
            {
                return cached.Item3;
            }

            var pipelines = Fetch(connection);
            _cached = Tuple.Create(connection, DateTime.UtcNow, pipelines);
            return pipelines;
        }

        private static IReadOnlyList<Pipeline> Fetch(StreamingConnection connection)
        {
            using (var timeout = new CancellationTokenSource(FetchTimeout))
            {
                var fetch = Task.Run(async () =>
                {
                    using (var listing = connection.CreateClient().ListPipelines(connection.OrgId, includeSystem: false))
                    {
                        return (IReadOnlyList<Pipeline>)await listing.ReadAllAsync(timeout.Token, MaxPipelines).ConfigureAwait(false);
                    }
                });
                try
                {
                    // Completion must stay quiet: whatever goes wrong, it offers nothing.
                    return fetch.Wait(FetchTimeout) ? fetch.Result : Array.Empty<Pipeline>();
                }
                catch (AggregateException)
                {
                    return Array.Empty<Pipeline>();
                }
            }
        }

        public static string Quoted(string text) =>
            text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.')
                ? text
                : "'" + text.Replace("'", "''") + "'";

        public static WildcardPattern PatternFor(string wordToComplete) =>
            WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
    }

    /// <summary>Completes -PipelineId with the ids of the connected organisation, matching ids or names.</summary>
    public sealed class PipelineIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = CompletionCache.PatternFor(wordToComplete);
            return CompletionCache.Pipelines()
                .Where(p => pattern.IsMatch(p.PipelineId) || pattern.IsMatch(p.Name ?? string.Empty))
                .Select(p => new CompletionResult(CompletionCache.Quoted(p.PipelineId), $"{p.PipelineId} ({p.Name})",
                    CompletionResultType.ParameterValue, $"{p.Name}: {p.StatusText ?? p.Status.ToString()}"));
        }
    }

    /// <summary>Completes -Name with the pipeline names of the connected organisation.</summary>
    public sealed class PipelineNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = CompletionCache.PatternFor(wordToComplete);
            return CompletionCache.Pipelines()
                .Where(p => !string.IsNullOrEmpty(p.Name) && pattern.IsMatch(p.Name!))
                .Select(p => new CompletionResult(CompletionCache.Quoted(p.Name!), p.Name!,
                    CompletionResultType.ParameterValue, $"{p.PipelineId}: {p.StatusText ?? p.Status.ToString()}"));
        }
    }
}
