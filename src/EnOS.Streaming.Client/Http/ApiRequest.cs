using System.Collections.Generic;
using System.Net.Http;
using EnOS.Streaming.Starts;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// One API call before signing: the path below the gateway (already escaped), the query
    /// parameters as decoded name/value pairs (what the signature covers), and the exact body text.
    /// </summary>
    internal sealed class ApiRequest
    {
        public ApiRequest(HttpMethod method, string escapedPath, IReadOnlyList<KeyValuePair<string, string>> query, string? body, string operation,
            string? startsInOrg = null, bool repeatable = true, StartBudget? startBudget = null)
        {
            StartBudget = startBudget;
            StartsInOrg = startsInOrg;
            Repeatable = repeatable;
            Method = method;
            EscapedPath = escapedPath;
            Query = query;
            Body = body;
            Operation = operation;
        }

        public HttpMethod Method { get; }
        public string EscapedPath { get; }
        public IReadOnlyList<KeyValuePair<string, string>> Query { get; }
        public string? Body { get; }

        /// <summary>What the call does, in words, for messages: "pause pipeline 'pl-1'".</summary>
        public string Operation { get; }

        /// <summary>
        /// For a start (or resume): the organisation, whose starts take turns once it answers 61121
        /// (see <see cref="StartQueue"/>). Null for every other call.
        /// </summary>
        public string? StartsInOrg { get; }

        /// <summary>For a start: the time its command's starts of the organisation may wait together; null: its own.</summary>
        public StartBudget? StartBudget { get; }

        /// <summary>
        /// False for a call that must not happen twice (a create: the service would make two
        /// pipelines): not sent again after a failure the service may have acted on.
        /// </summary>
        public bool Repeatable { get; }
    }
}
