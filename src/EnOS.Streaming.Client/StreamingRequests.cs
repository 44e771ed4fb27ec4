using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming
{
    /// <summary>The operations' paths, query (orgId last) and signed call, shared by the client and its definitions.</summary>
    internal sealed class StreamingRequests(RequestChain api, ILogger logger)
    {
        private const string BasePath = "/streaming/v2.0/streaming";

        public const string PipelinesPath = BasePath + "/pipelines";

        /// <summary>Save Pipeline's path for a new pipeline: the API's own spelling, the literal id "null".</summary>
        public const string NewPipelinePath = BasePath + "/pipeline/null";

        public ILogger Logger { get; } = logger;

        /// <summary>The id as exactly one escaped path segment: '/', '?', '#' and '%' cannot change the target.</summary>
        public static string PipelinePath(string pipelineId) => BasePath + "/pipeline/" + Uri.EscapeDataString(pipelineId);

        public static IReadOnlyList<KeyValuePair<string, string>> Query(string orgId, params (string Name, string Value)[] parameters) =>
            parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)).Append(new KeyValuePair<string, string>("orgId", orgId)).ToList();

        /// <summary>One call; <paramref name="operation"/> says what it does, in words, for messages.</summary>
        public Task<JsonElement> CallAsync(HttpMethod method, string escapedPath, IReadOnlyList<KeyValuePair<string, string>> query,
            string? body, string operation, CancellationToken cancellationToken) =>
            CallAsync(new ApiRequest(method, escapedPath, query, body, operation), cancellationToken);

        /// <summary>One call that needs more than the usual (a start's turn in its organisation, a create never repeated).</summary>
        public Task<JsonElement> CallAsync(ApiRequest request, CancellationToken cancellationToken) =>
            api.CallAsync(request, Logger, cancellationToken);
    }
}
