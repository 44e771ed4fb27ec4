using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnOS.Streaming
{
    /// <summary>
    /// One application's connection to one gateway and organisation: the pooled HTTP handlers,
    /// the credential and the shared access token. Create it once (Connect-EnosStreaming does) and
    /// make a <see cref="StreamingClient"/> from it for each piece of work.
    /// </summary>
    public sealed class StreamingConnection : IDisposable
    {
        private const string HttpClientName = "EnOS.Gateway";

        private readonly ServiceProvider _services;
        private readonly ApiTransport _transport;
        private readonly TokenCache _tokens;

        private StreamingConnection(Uri gatewayUrl, string orgId, AppCredential credential, StreamingClientOptions options, HttpMessageHandler? primaryHandler)
        {
            GatewayUrl = gatewayUrl;
            OrgId = orgId;
            AppKey = credential.AppKey;
            Options = options;

            var services = new ServiceCollection();
            var httpClient = services.AddHttpClient(HttpClientName, client => client.Timeout = options.AttemptTimeout);
            httpClient.ConfigurePrimaryHttpMessageHandler(() => primaryHandler ?? CreateHandler(options));
            if (primaryHandler != null)
            {
                // A handler supplied by a test is not the factory's to recycle.
                httpClient.SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            }

            _services = services.BuildServiceProvider();
            var http = new GatewayHttp(_services.GetRequiredService<IHttpClientFactory>(), HttpClientName, gatewayUrl);
            var retry = new RetryPolicy(options);
            _tokens = new TokenCache(new TokenServiceClient(http, credential, retry));
            _transport = new ApiTransport(http, _tokens, credential, retry);
        }

        public Uri GatewayUrl { get; }
        public string OrgId { get; }
        public string AppKey { get; }
        public StreamingClientOptions Options { get; }

        /// <summary>Checks the arguments and builds the connection; sends nothing.</summary>
        public static StreamingConnection Create(Uri gatewayUrl, string orgId, AppCredential credential, StreamingClientOptions? options = null) =>
            Create(gatewayUrl, orgId, credential, options, null);

        internal static StreamingConnection Create(Uri gatewayUrl, string orgId, AppCredential credential, StreamingClientOptions? options, HttpMessageHandler? primaryHandler)
        {
            options = (options ?? new StreamingClientOptions()).Validated();
            var problem = GatewayUrlProblem(gatewayUrl, options.AllowInsecureHttp) ?? PipelineIds.OrgIdProblem(orgId);
            if (problem != null)
            {
                throw new ArgumentException(problem);
            }

            return new StreamingConnection(gatewayUrl, orgId, credential, options, primaryHandler);
        }

        /// <summary>Null when the URL can be used as a gateway, otherwise why not and what to do.</summary>
        public static string? GatewayUrlProblem(Uri? gatewayUrl, bool allowInsecureHttp)
        {
            if (gatewayUrl == null || !gatewayUrl.IsAbsoluteUri)
            {
                return $"The gateway URL '{gatewayUrl}' is not absolute; give it as https://<apigw-address>.";
            }

            if (gatewayUrl.Scheme != Uri.UriSchemeHttps && gatewayUrl.Scheme != Uri.UriSchemeHttp)
            {
                return $"The gateway URL '{gatewayUrl}' is not http or https; give it as https://<apigw-address>.";
            }

            if (!string.IsNullOrEmpty(gatewayUrl.Query) || !string.IsNullOrEmpty(gatewayUrl.Fragment))
            {
                return $"The gateway URL '{gatewayUrl}' has a query or fragment; give only https://<apigw-address>.";
            }

            if (gatewayUrl.Scheme == Uri.UriSchemeHttp && !gatewayUrl.IsLoopback && !allowInsecureHttp)
            {
                return $"The gateway URL '{gatewayUrl}' uses http:// to another machine, which would send the access token in clear text. "
                       + "Use https://, or pass -AllowInsecureHttp if you accept that risk.";
            }

            return null;
        }

        /// <summary>A client for one piece of work, logging to <paramref name="log"/>.</summary>
        public StreamingClient CreateClient(IClientLog? log = null) => new StreamingClient(_transport, Options, LoggerFor(log));

        /// <summary>Gets a token now, so that a wrong key or secret fails here and not on first use.</summary>
        public Task VerifyCredentialsAsync(IClientLog? log = null, CancellationToken cancellationToken = default) =>
            _tokens.GetTokenAsync(LoggerFor(log), cancellationToken);

        private static ILogger LoggerFor(IClientLog? log) => log == null ? NullLogger.Instance : new ClientLogger(log);

        public override string ToString() => $"{GatewayUrl} (org {OrgId}, app key {AppKey})";

        public void Dispose() => _services.Dispose();

        /// <summary>
        /// The TLS protocols to allow on .NET Framework. SystemDefault (0, what 4.7+ targets get) lets
        /// the OS pick, including TLS 1.3 and whatever comes later: left alone, since naming TLS 1.2
        /// would narrow it. An explicit set that already has TLS 1.2, or a newer protocol (someone
        /// chose TLS 1.3 only), is also left alone. Only an old explicit set (SSL 3, TLS 1.0/1.1, the
        /// default of older Windows PowerShell setups) gains TLS 1.2, which gateways require.
        /// </summary>
        internal static SecurityProtocolType WithTls12(SecurityProtocolType current)
        {
            const SecurityProtocolType systemDefault = 0;
            const int ssl2 = 12; // not in netstandard2.0's enum
            const int tls12AndOlder = ssl2 | (int)(SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls | SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12);
            if (current == systemDefault || (current & SecurityProtocolType.Tls12) != 0 || ((int)current & ~tls12AndOlder) != 0)
            {
                return current;
            }

            return current | SecurityProtocolType.Tls12;
        }

        internal static HttpClientHandler CreateHandler(StreamingClientOptions options)
        {
            if (System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                // Process-wide on .NET Framework; changed only when it would refuse TLS 1.2.
                ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
            }

            var handler = new HttpClientHandler
            {
                MaxConnectionsPerServer = options.MaxConnectionsPerServer,
                // Decompressed as a stream: AnswerReader's limit applies to what comes out.
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                // A redirect would carry the token, the signature or the token request's body to
                // wherever it points (307/308 re-send the body too); GatewayHttp reports it instead.
                AllowAutoRedirect = false,
            };
            if (options.Proxy != null)
            {
                handler.Proxy = options.Proxy;
                handler.UseProxy = true;
            }
            else if (options.SystemProxyCredentials != null)
            {
                handler.DefaultProxyCredentials = options.SystemProxyCredentials;
            }

            return handler;
        }
    }
}
