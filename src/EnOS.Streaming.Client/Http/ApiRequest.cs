using System.Collections.Generic;
using System.Net.Http;
using EnOS.Streaming.Starts;

namespace EnOS.Streaming.Http
{
    /// <summary>One API call before signing.</summary>
    /// <param name="Method">GET or POST.</param>
    /// <param name="EscapedPath">The path below the gateway, already escaped.</param>
    /// <param name="Query">The query parameters as decoded name/value pairs: what the signature covers.</param>
    /// <param name="Body">The exact body text.</param>
    /// <param name="Operation">What the call does, in words, for messages: "pause pipeline 'pl-1'".</param>
    /// <param name="StartsInOrg">For a start: the organisation, whose starts take turns after a 61121 (<see cref="StartQueue"/>).</param>
    /// <param name="Repeatable">False for a create: not sent again after a failure the service may have acted on.</param>
    /// <param name="StartBudget">For a start: the time its command's starts of the organisation may wait together; null: its own.</param>
    internal sealed record ApiRequest(HttpMethod Method, string EscapedPath, IReadOnlyList<KeyValuePair<string, string>> Query, string? Body,
        string Operation, string? StartsInOrg = null, bool Repeatable = true, StartBudget? StartBudget = null);
}
