using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Http;

namespace EnOS.Streaming.Tests
{
    /// <summary>
    /// An in-memory gateway for client tests: answers the token service itself, records every
    /// request, and lets each test script the streaming answers.
    /// </summary>
    internal sealed class StubGateway : HttpMessageHandler
    {
        public const string AppKey = "test-app-key";
        public const string AppSecret = "test-app-secret-value";
        public const string OrgId = "o15500000000001";

        private int _tokenNumber;

        public ConcurrentQueue<RecordedRequest> Requests { get; } = new ConcurrentQueue<RecordedRequest>();

        /// <summary>The streaming API's answer to one request.</summary>
        public Func<RecordedRequest, HttpResponseMessage> Respond { get; set; } = _ => Ok("\"\"");

        public int TokenLifetimeSeconds { get; set; } = 7200;

        /// <summary>Overrides the token service's answer when it returns non-null.</summary>
        public Func<RecordedRequest, HttpResponseMessage?> TokenRespond { get; set; } = _ => null;

        public string CurrentToken => "token-" + Volatile.Read(ref _tokenNumber);

        public int TokensIssued => Volatile.Read(ref _tokenNumber);

        public IEnumerable<RecordedRequest> ApiRequests => Requests.Where(r => !r.Path.StartsWith("/apim-token-service", StringComparison.Ordinal));

        public StreamingConnection Connect(StreamingClientOptions? options = null) =>
            StreamingConnection.Create(new Uri("https://gateway.test"), OrgId, new AppCredential(AppKey, AppSecret),
                options ?? FastOptions(), this);

        /// <summary>The transport over this stub, for tests that put the client's parts together themselves.</summary>
        public GatewayHttp Http(GatewayCircuit? circuit = null) =>
            new GatewayHttp(new Clients(this), "test", new Uri("https://gateway.test"), circuit);

        public static StreamingClientOptions FastOptions() => new StreamingClientOptions
        {
            InitialRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        };

        public static HttpResponseMessage Ok(string dataJson) =>
            Json($"{{\"code\":0,\"msg\":\"OK\",\"requestId\":\"req-1\",\"data\":{dataJson}}}");

        public static HttpResponseMessage Error(int code, string message) =>
            Json($"{{\"code\":{code},\"msg\":\"{message}\",\"requestId\":\"req-{code}\",\"data\":null}}");

        public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
            new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            var recorded = new RecordedRequest(request, body);
            Requests.Enqueue(recorded);

            if (recorded.Path == "/apim-token-service/v2.0/token/get" || recorded.Path == "/apim-token-service/v2.0/token/refresh")
            {
                if (TokenRespond(recorded) is { } scripted)
                {
                    return scripted;
                }

                var number = Interlocked.Increment(ref _tokenNumber);
                return Json($"{{\"status\":0,\"msg\":\"SUCCESS\",\"business\":\"apim-token-service\",\"data\":{{\"accessToken\":\"token-{number}\",\"expire\":{TokenLifetimeSeconds}}}}}");
            }

            return Respond(recorded);
        }
    }

    internal sealed class Clients : IHttpClientFactory
    {
        private readonly HttpMessageHandler _handler;

        public Clients(HttpMessageHandler handler) => _handler = handler;

        public HttpClient CreateClient(string name) => new HttpClient(_handler, disposeHandler: false);
    }

    internal sealed class RecordedRequest
    {
        public RecordedRequest(HttpRequestMessage request, string body)
        {
            Method = request.Method.Method;
            Uri = request.RequestUri!;
            Body = body;
            ExpectContinue = request.Headers.ExpectContinue;
            Headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            // NonValidated: the header exactly as it goes on the wire, not re-formatted by a parser.
            ContentType = request.Content != null && request.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values)
                ? values.ToString()
                : null;
        }

        public string Method { get; }
        public Uri Uri { get; }
        public string Body { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }
        public bool? ExpectContinue { get; }
        public string? ContentType { get; }

        /// <summary>The path exactly as it goes on the wire (still escaped).</summary>
        public string Path => Uri.AbsolutePath;

        /// <summary>The query decoded into name/value pairs, in wire order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Query =>
            Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .Select(p => new KeyValuePair<string, string>(System.Uri.UnescapeDataString(p[0]), System.Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty)))
                .ToList();

        public string? QueryValue(string name) => Query.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();
    }
}
