using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Http;
using EnOS.Streaming.Logging;
using EnOS.Streaming.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnOS.Streaming
{
    /// <summary>One connection to a gateway and organisation (handlers, credential, token); a <see cref="StreamingClient"/> from it per piece of work.</summary>
    /// <remarks>Others take a <see cref="Lease"/>: the handlers close with the last hold, never under a command still using them.</remarks>
    internal sealed class StreamingConnection : IDisposable
    {
        private const string HttpClientName = "EnOS.Gateway";

        private static readonly char[] AuthorityEnds = { '/', '?', '#' };

        private readonly ServiceProvider _services;
        private readonly RequestChain _api;

        private readonly GatewayHandlers _handlers;

        // The owner's hold plus one per lease; at zero the connection is closed for good.
        private int _holds = 1;
        private int _ownerReleased;

        private StreamingConnection(Uri gatewayUrl, string orgId, AppCredential credential, StreamingClientOptions options, HttpMessageHandler? primaryHandler)
        {
            GatewayUrl = gatewayUrl;
            OrgId = orgId;
            AppKey = credential.AppKey;
            Options = options;

            _handlers = new GatewayHandlers(options);
            var services = new ServiceCollection();
            var httpClient = services.AddHttpClient(HttpClientName, client => client.Timeout = options.AttemptTimeout);
            httpClient.ConfigurePrimaryHttpMessageHandler(() => primaryHandler ?? _handlers.Create());
            if (primaryHandler != null)
            {
                // A handler supplied by a test is not the factory's to recycle.
                httpClient.SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            }

            _services = services.BuildServiceProvider();
            // One chain per connection: its commands share the gateway's health and pace, the token and the start queues.
            _api = RequestChain.Compose(_services.GetRequiredService<IHttpClientFactory>(), HttpClientName, gatewayUrl, credential, options);
        }

        public Uri GatewayUrl { get; }
        public string OrgId { get; }
        public string AppKey { get; }
        public StreamingClientOptions Options { get; }

        /// <summary>Checks the arguments and builds the connection; sends nothing. <paramref name="primaryHandler"/> is a test's stand-in for the network.</summary>
        public static StreamingConnection Create(Uri gatewayUrl, string orgId, AppCredential credential, StreamingClientOptions? options = null,
            HttpMessageHandler? primaryHandler = null)
        {
            options = (options ?? new StreamingClientOptions()).Validated();
            PipelineIds.ThrowIf(GatewayUrlProblem(gatewayUrl, options.AllowInsecureHttp) ?? PipelineIds.OrgIdProblem(orgId));

            return new StreamingConnection(gatewayUrl, orgId, credential, options, primaryHandler);
        }

        /// <summary>Null when the URL can be a gateway, otherwise why not and what to do (the URL shown without user-info).</summary>
        public static string? GatewayUrlProblem(Uri? gatewayUrl, bool allowInsecureHttp)
        {
            var shown = gatewayUrl == null ? string.Empty : Shown(gatewayUrl);
            if (gatewayUrl == null || !gatewayUrl.IsAbsoluteUri)
            {
                return $"The gateway URL '{shown}' is not absolute; give it as https://<apigw-address>.";
            }

            // Before anything else: a password in the URL would be kept, shown and sent along.
            if (!string.IsNullOrEmpty(gatewayUrl.UserInfo) || !string.Equals(shown, gatewayUrl.OriginalString, StringComparison.Ordinal))
            {
                return $"The gateway URL '{shown}' was given with a user name or password (user:password@); they are not used and are "
                       + "not kept. Give the URL without them, and the app key and secret as the credential (-Credential, or ENOS_APP_KEY and ENOS_APP_SECRET).";
            }

            if (gatewayUrl.Scheme != Uri.UriSchemeHttps && gatewayUrl.Scheme != Uri.UriSchemeHttp)
            {
                return $"The gateway URL '{shown}' is not http or https; give it as https://<apigw-address>.";
            }

            if (!string.IsNullOrEmpty(gatewayUrl.Query) || !string.IsNullOrEmpty(gatewayUrl.Fragment))
            {
                return $"The gateway URL '{shown}' has a query or fragment; give only https://<apigw-address>.";
            }

            if (gatewayUrl.Scheme == Uri.UriSchemeHttp && !gatewayUrl.IsLoopback && !allowInsecureHttp)
            {
                return $"The gateway URL '{shown}' uses http:// to another machine, which would send the access token in clear text. "
                       + "Use https://, or pass -AllowInsecureHttp if you accept that risk.";
            }

            return null;
        }

        /// <summary>The URL as given, for messages, without any user name or password in it.</summary>
        public static string Shown(Uri gatewayUrl) => WithoutUserInfo(gatewayUrl.OriginalString);

        /// <summary>A URL's text without user-info ("https://user:secret@host/" → "https://host/"), also for text that does not parse.</summary>
        public static string WithoutUserInfo(string url)
        {
            var schemeEnd = url.IndexOf("//", StringComparison.Ordinal);
            var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 2;
            var authorityEnd = url.IndexOfAny(AuthorityEnds, authorityStart);
            if (authorityEnd < 0)
            {
                authorityEnd = url.Length;
            }

            var at = authorityEnd > authorityStart ? url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) : -1;
            return at < 0 ? url : url.Substring(0, authorityStart) + url.Substring(at + 1);
        }

        public StreamingClient CreateClient(IClientLog? log = null) => new StreamingClient(_api, Options, LoggerFor(log));

        /// <summary>When the access token in hand expires: null until one is obtained. Never the token itself.</summary>
        public DateTimeOffset? TokenExpiresAt => _api.Tokens.ExpiresAt;

        /// <summary>Gets a token now, so that a wrong key or secret fails here and not on first use.</summary>
        public Task VerifyCredentialsAsync(IClientLog? log = null, CancellationToken cancellationToken = default) =>
            _api.Tokens.GetTokenAsync(LoggerFor(log), cancellationToken);

        private static ILogger LoggerFor(IClientLog? log) => log == null ? NullLogger.Instance : new ClientLogger(log);

        public override string ToString() => $"{GatewayUrl} (org {OrgId}, app key {AppKey})";

        /// <summary>A hold on the connection while a command uses it (dispose it when done); null once it is closed.</summary>
        public Lease? TryLease()
        {
            while (true)
            {
                var holds = Volatile.Read(ref _holds);
                if (holds == 0)
                {
                    return null;
                }

                if (Interlocked.CompareExchange(ref _holds, holds + 1, holds) == holds)
                {
                    return new Lease(this);
                }
            }
        }

        /// <summary>True once the connection is closed: its owner let it go and no lease is left.</summary>
        public bool IsClosed => Volatile.Read(ref _holds) == 0;

        /// <summary>The owner lets the connection go; it closes now, or when the last lease ends.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ownerReleased, 1) == 0)
            {
                Release();
            }
        }

        private void Release()
        {
            if (Interlocked.Decrement(ref _holds) != 0)
            {
                return;
            }

            _services.Dispose();
            _handlers.Dispose();
        }

        /// <summary>One user's hold on a <see cref="StreamingConnection"/>; see <see cref="TryLease"/>.</summary>
        public sealed class Lease(StreamingConnection connection) : IDisposable
        {
            private StreamingConnection? _connection = connection;

            public StreamingConnection Connection { get; } = connection;

            public void Dispose() => Interlocked.Exchange(ref _connection, null)?.Release();
        }
    }
}
