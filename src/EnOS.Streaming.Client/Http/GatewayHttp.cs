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
    /// Sends one HTTP request to the gateway and reads the whole answer, within a size limit and the
    /// attempt's timeout. It turns network failures into <see cref="EnosTransportException"/>s, never
    /// follows a redirect, and traces each exchange at Debug level with the credential headers
    /// redacted. Signing and retrying are the callers' business.
    /// </summary>
    internal sealed partial class GatewayHttp
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
        private readonly AnswerReader _answers = new AnswerReader();

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

        /// <summary>Throws the circuit's "not attempted" failure while the gateway is known to be unreachable.</summary>
        public void ThrowIfUnreachable() => _circuit.ThrowIfOpen();

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
            ThrowIfUnreachable();
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

                // No "Expect: 100-continue": .NET Framework sends it on every POST with a body unless
                // told not to (its handler copies this onto the ServicePoint before each request)
                // and then waits for a "100 Continue" a gateway may never send. .NET sends none anyway.
                request.Headers.ExpectContinue = false;

                if (logger.IsEnabled(LogLevel.Debug))
                {
                    var credentials = RedactedHeaders(request);
                    Log.Sending(logger, method.Method, uri.AbsoluteUri, credentials, traceBody && body != null ? " body " + body : string.Empty);
                }

                // The factory's clients are cheap; it pools and recycles the handlers beneath them.
                var http = _clients.CreateClient(_clientName);
                var stopwatch = Stopwatch.StartNew();
                // The attempt's timeout covers the body as well as the headers: HttpClient.Timeout
                // stops at the headers when the body is read as a stream.
                using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    try
                    {
                        attempt.CancelAfter(http.Timeout);
                        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false))
                        {
                            // Something answered: whatever it said, the gateway is reachable.
                            _circuit.OnAnswer();
                            if ((int)response.StatusCode >= 300 && (int)response.StatusCode < 400)
                            {
                                Log.NotFollowed(logger, (int)response.StatusCode, response.ReasonPhrase, method.Method + " " + uri.AbsolutePath, stopwatch.ElapsedMilliseconds);
                                throw Redirected(uri, response);
                            }

                            var answer = await _answers.ReadAsync(response.Content, AnswerReader.LimitFor(method), attempt.Token).ConfigureAwait(false);
                            var retryAfter = RetryAfterOf(response);
                            if (logger.IsEnabled(LogLevel.Debug))
                            {
                                Log.Answered(logger, (int)response.StatusCode, response.ReasonPhrase, method.Method + " " + uri.AbsolutePath,
                                    stopwatch.ElapsedMilliseconds, answer.Text.Length, answer.Problem == null ? string.Empty : "; the body " + answer.Problem);
                            }

                            return new HttpAnswer(response.StatusCode, answer.Text, retryAfter, answer.Problem,
                                RateLimitHeaders.Read(response.Headers, DateTimeOffset.UtcNow));
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
                            $"the gateway did not answer within {http.Timeout.TotalSeconds:0.#} s", null, null,
                            TransportFailure.TimedOut, null, null, isTransient: true, exception);
                    }
                    catch (HttpRequestException exception)
                    {
                        var failure = KindOf(exception);
                        var error = new EnosTransportException(
                            Unreached(failure, Innermost(exception).Message), null, null,
                            failure, null, null,
                            // A wrong host name or a TLS handshake with a plain-http port fails the same way every time.
                            isTransient: failure == TransportFailure.Unreachable || failure == TransportFailure.ConnectionRefused,
                            exception);
                        _circuit.OnFailure(error);
                        throw error;
                    }
                }
            }
        }

        /// <summary>
        /// The API never redirects. Following one would send the token and signature, or the token
        /// request's body, wherever the answer points; so a 3xx is an invalid answer, not retried,
        /// that says where it pointed (without user-info, query or fragment, which may hold secrets).
        /// </summary>
        private EnosTransportException Redirected(Uri uri, HttpResponseMessage response)
        {
            // The reason phrase is the far end's text: shown escaped, like any text from the service.
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + DisplayText.Escape(response.ReasonPhrase);
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
                    TransportFailure.InvalidResponse, response.StatusCode, null, isTransient: false);
            }

            var shown = location.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
            if (shown.Length > 200)
            {
                shown = shown.Substring(0, 200) + "…";
            }

            var gateway = SuggestedGateway(uri, location);
            return new EnosTransportException(
                $"the gateway answered with HTTP {status}, a redirect to '{shown}'"
                + (string.IsNullOrEmpty(location.Query) ? string.Empty : " (query not shown)"),
                "It was not followed: nothing was sent there. If that is your EnOS API gateway, connect to it with "
                + $"-GatewayUrl '{gateway}'.", null,
                TransportFailure.InvalidResponse, response.StatusCode, null, isTransient: false)
            {
                SuggestedGatewayUrl = gateway,
            };
        }

        /// <summary>
        /// The gateway a redirect implies: where it points, less the part of the path this request
        /// added below the gateway (so a gateway published below a path keeps it), without
        /// user-info, query or fragment.
        /// </summary>
        private string SuggestedGateway(Uri requested, Uri location)
        {
            var server = location.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
            var prefixPath = new Uri(_gatewayPrefix + "/").AbsolutePath.TrimEnd('/');
            var apiPath = requested.AbsolutePath.Substring(Math.Min(prefixPath.Length, requested.AbsolutePath.Length));
            var path = location.AbsolutePath;
            return apiPath.Length > 1 && path.EndsWith(apiPath, StringComparison.Ordinal)
                ? server + path.Substring(0, path.Length - apiPath.Length).TrimEnd('/')
                : server;
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

                // .NET Framework (Windows PowerShell) says it with the WebException's status; a
                // failed name lookup there has no SocketException beneath.
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

        /// <summary>Why the gateway was not reached, as a clause naming it once; the runtime's words only where they add to ours.</summary>
        private string Unreached(TransportFailure failure, string runtimeMessage)
        {
            switch (failure)
            {
                case TransportFailure.ConnectionRefused:
                    return $"the gateway at {_gatewayPrefix} refused the connection (nothing listens at that address and port)";
                case TransportFailure.NameNotResolved:
                    return $"no address was found for the host name of the gateway at {_gatewayPrefix} ({DisplayText.Clause(runtimeMessage)})";
                case TransportFailure.TlsHandshake:
                    return $"the TLS handshake with the gateway at {_gatewayPrefix} failed (an https:// URL to a port that speaks plain http does this)";
                default:
                    return $"the connection to the gateway at {_gatewayPrefix} failed ({DisplayText.Clause(runtimeMessage)})";
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

        // "{Request}" is the method and path together: the source generator formats a message of
        // more than six values itself, and writes a null reason phrase as "" rather than "(null)".
        private static partial class Log
        {
            [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Method} {Uri}{Headers}{Body}")]
            public static partial void Sending(ILogger logger, string method, string uri, string headers, string body);

            [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Status} {Reason} from {Request} in {Elapsed} ms: a redirect, not followed")]
            public static partial void NotFollowed(ILogger logger, int status, string? reason, string request, long elapsed);

            [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Status} {Reason} from {Request} in {Elapsed} ms, {Length} characters{Problem}")]
            public static partial void Answered(ILogger logger, int status, string? reason, string request, long elapsed, int length, string problem);
        }
    }

    /// <summary>The status and body of one HTTP answer.</summary>
    internal sealed class HttpAnswer
    {
        public HttpAnswer(HttpStatusCode statusCode, string body, TimeSpan? retryAfter, string? bodyProblem = null, RateLimitHeaders? rateLimit = null)
        {
            StatusCode = statusCode;
            Body = body;
            RetryAfter = retryAfter;
            RateLimit = rateLimit;
            BodyProblem = bodyProblem;
        }

        public HttpStatusCode StatusCode { get; }
        public string Body { get; }
        public TimeSpan? RetryAfter { get; }

        /// <summary>The RateLimit-* / X-RateLimit-* headers, when the gateway sent any.</summary>
        public RateLimitHeaders? RateLimit { get; }

        /// <summary>Why the body cannot be an answer (too large, not UTF-8), in which case Body is only its start.</summary>
        public string? BodyProblem { get; }

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
                    $"the gateway answered HTTP {ApiEnvelope.StatusText(StatusCode)}", ApiEnvelope.BodyDetail(Body, bodyIsSecret), null,
                    TransportFailure.HttpStatus, StatusCode, excerpt, isTransient: true)
                {
                    RetryAfter = RetryAfter,
                };
            }

            if (BodyProblem != null)
            {
                // Complete answers of another kind (a bomb, another charset): trying again will not help.
                throw ApiEnvelope.NotAnEnvelope(StatusCode, bodyIsSecret ? null : Body, BodyProblem, null, transient: false);
            }

            return ApiEnvelope.Parse(Body, StatusCode, codeField, bodyIsSecret);
        }
    }
}
