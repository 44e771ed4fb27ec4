using System;
using System.Globalization;
using System.Net;
using System.Net.Http;

namespace EnOS.Streaming.Http
{
    /// <summary>An exchange without a usable answer (a timeout, no gateway and why, a redirect), as a clause naming the gateway once.</summary>
    /// <remarks><c>gateway</c>: the gateway URL up to its path, without a trailing slash.</remarks>
    internal static class ExchangeFailures
    {
        /// <summary>The attempt's own timeout (HttpClient.Timeout) fired: worth retrying.</summary>
        public static EnosTransportException TimedOut(TimeSpan timeout, OperationCanceledException exception) =>
            new EnosTransportException(
                $"the gateway did not answer within {timeout.TotalSeconds:0.#} s", null, null,
                TransportFailure.TimedOut, null, null, exception);

        /// <summary>The connection was disposed under the call: an Enos* failure, not retried (every attempt would find it closed).</summary>
        public static EnosTransportException Disposed(ObjectDisposedException exception) =>
            new EnosTransportException(
                "the connection was closed (disposed) before this call could be sent or answered", null, null,
                TransportFailure.Unreachable, null, null, exception)
            {
                RetriesExhausted = true,
            };

        /// <summary>Why the gateway was not reached, as a clause naming it once; the runtime's words only where they add to ours.</summary>
        public static EnosTransportException Unreached(string gateway, HttpRequestException exception)
        {
            var failure = KindOf(exception);
            var runtime = DisplayText.Clause(exception.GetBaseException().Message);
            var reason = failure switch
            {
                TransportFailure.ConnectionRefused => $"the gateway at {gateway} refused the connection (nothing listens at that address and port)",
                TransportFailure.NameNotResolved => $"no address was found for the host name of the gateway at {gateway} ({runtime})",
                TransportFailure.TlsHandshake => $"the TLS handshake with the gateway at {gateway} failed (an https:// URL to a port that speaks plain http does this)",
                _ => $"the connection to the gateway at {gateway} failed ({runtime})",
            };
            return new EnosTransportException(reason, null, null, failure, null, null, exception)
            {
                UnreachedGateway = gateway,
            };
        }

        /// <summary>A redirect, never followed (it would carry the credentials): an invalid answer saying where, without user-info or query.</summary>
        public static EnosTransportException Redirected(string gateway, Uri uri, HttpResponseMessage response, Func<string?, string?> scrub)
        {
            // The reason phrase is the far end's text: shown escaped, like any text from the service.
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + DisplayText.Escape(scrub(response.ReasonPhrase));
            var location = response.Headers.Location;
            if (location != null && !location.IsAbsoluteUri)
            {
                location = Uri.TryCreate(uri, location, out var resolved) ? resolved : null;
            }

            if (location == null || (location.Scheme != Uri.UriSchemeHttps && location.Scheme != Uri.UriSchemeHttp))
            {
                return new EnosTransportException(
                    $"the gateway answered with HTTP {status}, a redirect the API never sends",
                    "It was not followed. Check that -GatewayUrl is the EnOS API gateway.", null,
                    TransportFailure.InvalidResponse, response.StatusCode, null);
            }

            var shown = scrub(location.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped))!;
            if (shown.Length > 200)
            {
                shown = shown.Substring(0, 200) + "…";
            }

            var suggested = scrub(SuggestedGateway(gateway, uri, location))!;
            return new EnosTransportException(
                $"the gateway answered with HTTP {status}, a redirect to '{shown}'"
                + (string.IsNullOrEmpty(location.Query) ? string.Empty : " (query not shown)"),
                "It was not followed: nothing was sent there. If that is your EnOS API gateway, connect to it with "
                + $"-GatewayUrl '{suggested}'.", null,
                TransportFailure.InvalidResponse, response.StatusCode, null)
            {
                SuggestedGatewayUrl = suggested,
            };
        }

        /// <summary>The gateway a redirect implies: where it points, less the path this request added below the gateway.</summary>
        private static string SuggestedGateway(string gateway, Uri requested, Uri location)
        {
            var server = location.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
            var prefixPath = new Uri(gateway + "/").AbsolutePath.TrimEnd('/');
            var apiPath = requested.AbsolutePath.Substring(Math.Min(prefixPath.Length, requested.AbsolutePath.Length));
            var path = location.AbsolutePath;
            return apiPath.Length > 1 && path.EndsWith(apiPath, StringComparison.Ordinal)
                ? server + path.Substring(0, path.Length - apiPath.Length).TrimEnd('/')
                : server;
        }

        /// <summary>Why no gateway was found, from the exceptions beneath (and .NET 8's HttpRequestError, read by reflection).</summary>
        internal static TransportFailure KindOf(HttpRequestException exception)
        {
            for (Exception? inner = exception; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Security.Authentication.AuthenticationException)
                {
                    return TransportFailure.TlsHandshake;
                }

                // .NET Framework says it with the WebException's status (a failed lookup has no SocketException).
                if (inner is WebException web)
                {
                    switch (web.Status)
                    {
                        case WebExceptionStatus.NameResolutionFailure:
                            return TransportFailure.NameNotResolved;
                        case WebExceptionStatus.SecureChannelFailure:
                        case WebExceptionStatus.TrustFailure:
                            return TransportFailure.TlsHandshake;
                    }
                }

                if (inner is System.Net.Sockets.SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case System.Net.Sockets.SocketError.ConnectionRefused:
                            return TransportFailure.ConnectionRefused;
                        case System.Net.Sockets.SocketError.HostNotFound:
                        case System.Net.Sockets.SocketError.NoData:
                            return TransportFailure.NameNotResolved;
                    }
                }
            }

            return exception.GetType().GetProperty("HttpRequestError")?.GetValue(exception)?.ToString() switch
            {
                "SecureConnectionError" => TransportFailure.TlsHandshake,
                "NameResolutionError" => TransportFailure.NameNotResolved,
                _ => TransportFailure.Unreachable,
            };
        }
    }
}
