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
    /// The pipelines of the connected organisation, for tab completion: fetched once, kept for a
    /// short while, bounded in count and time so that a press of Tab never hangs the console.
    /// Without a connection it offers nothing and sends nothing. The connection is the one of the
    /// runspace completing (each runspace has its own), and each connection has its own list.
    /// </summary>
    internal static class CompletionCache
    {
        private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);
        private const int MaxPipelines = 2000;

        // Per connection, held weakly: a list goes when its connection does.
        private static readonly ConditionalWeakTable<StreamingConnection, StrongBox<Tuple<DateTime, IReadOnlyList<Pipeline>>?>> Cached =
            new ConditionalWeakTable<StreamingConnection, StrongBox<Tuple<DateTime, IReadOnlyList<Pipeline>>?>>();

        public static IReadOnlyList<Pipeline> Pipelines()
        {
            var lease = ModuleSession.LeaseActive();
            if (lease == null)
            {
                return Array.Empty<Pipeline>();
            }

            var box = Cached.GetValue(lease.Connection, _ => new StrongBox<Tuple<DateTime, IReadOnlyList<Pipeline>>?>());
            var cached = Volatile.Read(ref box.Value);
            if (cached != null && DateTime.UtcNow - cached.Item1 < Lifetime)
            {
                lease.Dispose();
                return cached.Item2;
            }

            var pipelines = Fetch(lease);
            Volatile.Write(ref box.Value, Tuple.Create(DateTime.UtcNow, pipelines));
            return pipelines;
        }

        /// <summary>Lists the pipelines; the lease ends with the fetch, even one given up on.</summary>
        private static IReadOnlyList<Pipeline> Fetch(StreamingConnection.Lease lease)
        {
            var connection = lease.Connection;
            using (var timeout = new CancellationTokenSource(FetchTimeout))
            {
                var fetch = Task.Run(async () =>
                {
                    using (lease)
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
}
