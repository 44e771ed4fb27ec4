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

        public GatewayHttp(IHttpClientFactory clients, string clientName, Uri gatewayUrl)
        {
            _clients = clients;
            _clientName = clientName;
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

                        return new HttpAnswer(response.StatusCode, text, retryAfter);
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
                    throw new EnosTransportException(
                        $"Could not reach the gateway at {_gatewayPrefix}: {Innermost(exception).Message}",
                        TransportFailure.Unreachable, null, null, isTransient: true, exception);
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
        public HttpAnswer(HttpStatusCode statusCode, string body, TimeSpan? retryAfter)
        {
            StatusCode = statusCode;
            Body = body;
            RetryAfter = retryAfter;
        }

        public HttpStatusCode StatusCode { get; }
        public string Body { get; }
        public TimeSpan? RetryAfter { get; }

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
