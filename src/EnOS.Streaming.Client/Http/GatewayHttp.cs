using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// Sends one HTTP request to the gateway and reads the whole answer. It turns network failures
    /// into <see cref="EnosTransportException"/>s and traces each exchange at Debug level with the
    /// credential headers redacted. Signing and retrying are the callers' business.
    /// </summary>
    internal sealed class GatewayHttp
    {
        /// <summary>The documented content type, byte for byte (no space before charset).</summary>
        public const string JsonContentType = "application/json;charset=UTF-8";

        public const string AccessTokenHeader = "apim-accesstoken";
        public const string SignatureHeader = "apim-signature";
        public const string TimestampHeader = "apim-timestamp";

        private readonly IHttpClientFactory _clients;
        private readonly string _clientName;
        private readonly string _gatewayPrefix;
        private readonly GatewayCircuit _circuit;

        public GatewayHttp(IHttpClientFactory clients, string clientName, Uri gatewayUrl, GatewayCircuit? circuit = null)
        {
            _clients = clients;
            _clientName = clientName;
            _circuit = circuit ?? new GatewayCircuit();
            // Keep a path prefix if the gateway is published below one (https://host/apigw).
            _gatewayPrefix = gatewayUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        public Uri BuildUri(string escapedPath, IReadOnlyList<KeyValuePair<string, string>> query)
        {
            var text = new StringBuilder(_gatewayPrefix).Append(escapedPath);
            for (var i = 0; i < query.Count; i++)
            {
                text.Append(i == 0 ? '?' : '&')
                    .Append(Uri.EscapeDataString(query[i].Key))
                    .Append('=')
                    .Append(Uri.EscapeDataString(query[i].Value));
            }

            return new Uri(text.ToString(), UriKind.Absolute);
        }

        public async Task<HttpAnswer> SendAsync(
            HttpMethod method,
            Uri uri,
            string? body,
            IEnumerable<KeyValuePair<string, string>> headers,
            ILogger logger,
            bool traceBody,
            CancellationToken cancellationToken)
        {
            // A gateway found unreachable a moment ago is not asked again by every caller.
            _circuit.ThrowIfOpen();
            using (var request = new HttpRequestMessage(method, uri))
            {
                // The gateway documents the content type for every call, so a bodiless POST carries
                // it too (with an empty body). A GET cannot: .NET Framework refuses any content on
                // a GET, and the content type is not part of the signature.
                if (method != HttpMethod.Get)
                {
                    request.Content = new ByteArrayContent(body == null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(body));
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
                }
                foreach (var header in headers)
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                if (logger.IsEnabled(LogLevel.Debug))
                {
                    logger.LogDebug("HTTP {Method} {Uri}{Headers}{Body}", method.Method, uri.AbsoluteUri,
                        RedactedHeaders(request), traceBody && body != null ? " body " + body : string.Empty);
                }

                // The factory's clients are cheap; it pools and recycles the handlers beneath them.
                var http = _clients.CreateClient(_clientName);
                var stopwatch = Stopwatch.StartNew();
                try
                {
                    using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
                    {
                        var text = response.Content == null
                            ? string.Empty
                            : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        var retryAfter = RetryAfterOf(response);
                        if (logger.IsEnabled(LogLevel.Debug))
                        {
                            logger.LogDebug("HTTP {Status} {Reason} from {Method} {Path} in {Elapsed} ms, {Length} bytes",
                                (int)response.StatusCode, response.ReasonPhrase, method.Method, uri.AbsolutePath,
                                stopwatch.ElapsedMilliseconds, text.Length);
                        }

                        _circuit.OnAnswer();
                        return new HttpAnswer(response.StatusCode, text, retryAfter, RateLimitHeaders.Read(response.Headers, DateTimeOffset.UtcNow));
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException exception)
                {
                    // HttpClient.Timeout fired, not the caller: a timeout worth retrying.
                    throw new EnosTransportException(
                        $"The gateway did not answer {method.Method} {uri.AbsolutePath} within {http.Timeout.TotalSeconds:0.#} s.",
                        TransportFailure.TimedOut, null, null, isTransient: true, exception);
                }
                catch (HttpRequestException exception)
                {
                    var failure = KindOf(exception);
                    var error = new EnosTransportException(
                        $"Could not reach the gateway at {_gatewayPrefix}: {Explained(failure)}{Innermost(exception).Message}",
                        failure, null, null,
                        // A wrong host name or a TLS handshake with a plain-http port fails the same way every time.
                        isTransient: failure == TransportFailure.Unreachable || failure == TransportFailure.ConnectionRefused,
                        exception);
                    _circuit.OnFailure(error);
                    throw error;
                }
            }
        }

        private static string RedactedHeaders(HttpRequestMessage request)
        {
            var shown = request.Headers
                .Where(h => h.Key.StartsWith("apim-", StringComparison.OrdinalIgnoreCase))
                .Select(h => h.Key + ": " + (string.Equals(h.Key, TimestampHeader, StringComparison.OrdinalIgnoreCase)
                    ? string.Join(",", h.Value)
                    : "[redacted]"));
            var text = string.Join(", ", shown);
            return text.Length == 0 ? string.Empty : " (" + text + ")";
        }

        private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            var retryAfter = response.Headers.RetryAfter;
            if (retryAfter == null)
            {
                return null;
            }

            if (retryAfter.Delta.HasValue)
            {
                return retryAfter.Delta.Value;
            }

            return retryAfter.Date.HasValue ? retryAfter.Date.Value - DateTimeOffset.UtcNow : (TimeSpan?)null;
        }

        /// <summary>
        /// Why the request found no gateway, from the socket error or TLS exception beneath (and
        /// .NET 8's HttpRequestError where the runtime has it; this assembly targets netstandard2.0).
        /// </summary>
        internal static TransportFailure KindOf(HttpRequestException exception)
        {
            for (Exception? inner = exception; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Security.Authentication.AuthenticationException)
                {
                    return TransportFailure.TlsHandshake;
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

            switch (exception.GetType().GetProperty("HttpRequestError")?.GetValue(exception)?.ToString())
            {
                case "SecureConnectionError":
                    return TransportFailure.TlsHandshake;
                case "NameResolutionError":
                    return TransportFailure.NameNotResolved;
                default:
                    return TransportFailure.Unreachable;
            }
        }

        private static string Explained(TransportFailure failure)
        {
            switch (failure)
            {
                case TransportFailure.ConnectionRefused:
                    return "the connection was refused (nothing listens at that address and port). ";
                case TransportFailure.NameNotResolved:
                    return "the host name could not be resolved. ";
                case TransportFailure.TlsHandshake:
                    return "the TLS handshake failed (an https:// URL to a port that speaks plain http does this). ";
                default:
                    return string.Empty;
            }
        }

        private static Exception Innermost(Exception exception)
        {
            while (exception.InnerException != null)
            {
                exception = exception.InnerException;
            }

            return exception;
        }
    }

    /// <summary>The status and full body of one HTTP answer.</summary>
    internal sealed class HttpAnswer
    {
        public HttpAnswer(HttpStatusCode statusCode, string body, TimeSpan? retryAfter, RateLimitHeaders? rateLimit = null)
        {
            StatusCode = statusCode;
            Body = body;
            RetryAfter = retryAfter;
            RateLimit = rateLimit;
        }

        public HttpStatusCode StatusCode { get; }
        public string Body { get; }
        public TimeSpan? RetryAfter { get; }

        /// <summary>The RateLimit-* / X-RateLimit-* headers, when the gateway sent any.</summary>
        public RateLimitHeaders? RateLimit { get; }

        /// <summary>
        /// Reads the JSON envelope. Throttling and upstream failures are transport errors whatever
        /// their body says; other HTTP errors count as API answers when they carry an envelope.
        /// </summary>
        public ApiEnvelope ReadEnvelope(string codeField, bool bodyIsSecret = false)
        {
            if (ApiEnvelope.IsTransientStatus(StatusCode))
            {
                var excerpt = bodyIsSecret ? ApiEnvelope.WithheldBody : ApiEnvelope.Excerpt(Body);
                throw new EnosTransportException(
                    $"The gateway answered HTTP {((int)StatusCode).ToString(CultureInfo.InvariantCulture)} {StatusCode}"
                    + (excerpt.Length == 0 ? "." : ": " + excerpt),
                    TransportFailure.HttpStatus, StatusCode, excerpt, isTransient: true)
                {
                    RetryAfter = RetryAfter,
                };
            }

            return ApiEnvelope.Parse(Body, StatusCode, codeField, bodyIsSecret);
        }
    }
}
