using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Session;

namespace EnOS.Streaming.Completion
{
    /// <summary>
    /// The connected organisation's pipelines for tab completion (a <see cref="PipelineDirectory"/>
    /// kept per connection for a short while), bounded in count and time so Tab never hangs the
    /// console; without a connection it offers nothing and sends nothing.
    /// </summary>
    internal static class CompletionCache
    {
        private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);
        private const int MaxPipelines = 2000;

        // Per connection, held weakly: a snapshot goes when its connection does.
        private static readonly ConditionalWeakTable<StreamingConnection, PipelineDirectory> Snapshots =
            new ConditionalWeakTable<StreamingConnection, PipelineDirectory>();

        public static IReadOnlyList<Pipeline> Pipelines()
        {
            var lease = ModuleSession.LeaseActive();
            if (lease == null)
            {
                return Array.Empty<Pipeline>();
            }

            // The lease ends with the fetch, even one given up on.
            var connection = lease.Connection;
            var snapshot = Snapshots.GetValue(connection, _ => new PipelineDirectory(connection.CreateClient()));
            using (var timeout = new CancellationTokenSource(FetchTimeout))
            {
                var fetch = Task.Run(async () =>
                {
                    using (lease)
                    {
                        return (await snapshot.OrdinaryAsync(connection.OrgId, Lifetime, MaxPipelines, timeout.Token).ConfigureAwait(false)).Pipelines;
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
}
