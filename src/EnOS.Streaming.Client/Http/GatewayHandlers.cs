using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace EnOS.Streaming.Http
{
    /// <summary>A connection's HTTP handlers, closed with it: the factory disposes them lazily, and not at all with its service provider.</summary>
    internal sealed class GatewayHandlers(StreamingClientOptions options) : IDisposable
    {
        private readonly ConcurrentDictionary<OwnedHandler, bool> _handlers = new ConcurrentDictionary<OwnedHandler, bool>();
        private int _closed;

        /// <summary>A new handler for the factory; closed at once if the connection already is.</summary>
        public HttpMessageHandler Create()
        {
            var owned = new OwnedHandler(CreateHandler(options), _handlers);
            _handlers[owned] = true;
            if (Volatile.Read(ref _closed) == 1)
            {
                // Made by a request that raced with the close: close it too.
                owned.Dispose();
            }

            return owned;
        }

        public void Dispose()
        {
            Volatile.Write(ref _closed, 1);
            foreach (var handler in _handlers.Keys)
            {
                handler.Dispose();
            }
        }

        /// <summary>TLS on .NET Framework: SystemDefault and sets with TLS 1.2 or newer are left alone; only an old explicit set gains TLS 1.2.</summary>
        [SuppressMessage("Security", "CA5364:Do Not Use Deprecated Security Protocols",
            Justification = "The old protocols are named only to recognise an old explicit set, which gains TLS 1.2; none is ever enabled here.")]
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

        /// <summary>Windows PowerShell 5.1: HttpClient over HttpWebRequest, whose streams behave otherwise.</summary>
        internal static readonly bool OnNetFramework =
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        internal static HttpClientHandler CreateHandler(StreamingClientOptions options)
        {
            if (OnNetFramework)
            {
                // Process-wide on .NET Framework; changed only when it would refuse TLS 1.2.
                ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
            }

            var handler = new HttpClientHandler
            {
                MaxConnectionsPerServer = options.MaxConnectionsPerServer,
                // Decompressed as a stream: AnswerReader's limit applies to what comes out.
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                // A redirect would carry the credentials where it points: GatewayHttp reports it instead.
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

        /// <summary>A handler the connection made; it leaves the list when the factory or the connection disposes it.</summary>
        private sealed class OwnedHandler(HttpMessageHandler inner, ConcurrentDictionary<OwnedHandler, bool> owner) : DelegatingHandler(inner)
        {
            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    owner.TryRemove(this, out _);
                }

                base.Dispose(disposing);
            }
        }
    }
}
