using System.Collections.Generic;
using System.Net.Http;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// One API call before signing: the path below the gateway (already escaped), the query
    /// parameters as decoded name/value pairs (what the signature covers), and the exact body text.
    /// </summary>
    internal sealed class ApiRequest
    {
        public ApiRequest(HttpMethod method, string escapedPath, IReadOnlyList<KeyValuePair<string, string>> query, string? body, string operation,
            int retryableCode = 0)
        {
            RetryableCode = retryableCode;
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
        /// An API answer that means "try again later" for this call (61121 for a start), retried
        /// by the same policy and budget as transport failures; 0 for none.
        /// </summary>
        public int RetryableCode { get; }
    }
}
