using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Http
{
    /// <summary>Sends one request and reads the answer, bounded: failures as Enos exceptions, no redirects, secrets scrubbed, the Debug trace redacted.</summary>
    internal sealed partial class GatewayHttp(IHttpClientFactory clients, string clientName, Uri gatewayUrl, GatewayCircuit? circuit = null,
        AnswerScrubber? scrubber = null)
    {
        /// <summary>The documented content type, byte for byte (no space before charset).</summary>
        public const string JsonContentType = "application/json;charset=UTF-8";

        public const string AccessTokenHeader = "apim-accesstoken";
        public const string SignatureHeader = "apim-signature";
        public const string TimestampHeader = "apim-timestamp";

        // Keep a path prefix if the gateway is published below one (https://host/apigw).
        private readonly string _gatewayPrefix = gatewayUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        private readonly GatewayCircuit _circuit = circuit ?? new GatewayCircuit();
        private readonly AnswerReader _answers = new AnswerReader();

        /// <summary>The connection's secrets, to take out of any text from the far end.</summary>
        public AnswerScrubber Scrubber { get; } = scrubber ?? new AnswerScrubber();

        public Uri BuildUri(string escapedPath, IReadOnlyList<KeyValuePair<string, string>> query) =>
            new Uri(_gatewayPrefix + escapedPath + (query.Count == 0 ? string.Empty : "?")
                    + string.Join("&", query.Select(parameter => Uri.EscapeDataString(parameter.Key) + "=" + Uri.EscapeDataString(parameter.Value))),
                UriKind.Absolute);

        /// <summary>Fails "not attempted" while the gateway is known dead (a look before queueing; the send claims the probe).</summary>
        public void ThrowIfUnreachable() => _circuit.ThrowIfOpen(sends: false);

        /// <summary>One exchange (timeout, circuit and trace wrap send and read alike); with <paramref name="answerHoldsToken"/> the body is kept whole.</summary>
        public async Task<HttpAnswer> SendAsync(
            HttpMethod method,
            Uri uri,
            string? body,
            IEnumerable<KeyValuePair<string, string>> headers,
            ILogger logger,
            bool traceBody,
            CancellationToken cancellationToken,
            bool answerHoldsToken = false)
        {
            // A gateway found unreachable a moment ago is not asked again by every caller.
            _circuit.ThrowIfOpen();
            using (var request = NewRequest(method, uri, body, headers))
            {
                // What this request carried that an echo of it would show.
                var sent = headers.Where(h => !string.Equals(h.Key, TimestampHeader, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
                string? Scrub(string? text) => Scrubber.ScrubOrNull(text, sent);
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    var credentials = RedactedHeaders(request);
                    Log.Sending(logger, method.Method, uri.AbsoluteUri, credentials, traceBody && body != null ? " body " + body : string.Empty);
                }

                var stopwatch = Stopwatch.StartNew();
                var timeout = TimeSpan.Zero;
                using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    try
                    {
                        // The factory's clients are cheap; it pools and recycles the handlers beneath them.
                        var http = clients.CreateClient(clientName);
                        // HttpClient.Timeout stops at the headers of a streamed body: this covers the body too.
                        timeout = http.Timeout;
                        attempt.CancelAfter(timeout);
                        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false))
                        {
                            // Something answered: whatever it said, the gateway is reachable.
                            _circuit.OnAnswer();
                            var reason = Scrub(response.ReasonPhrase);
                            if ((int)response.StatusCode >= 300 && (int)response.StatusCode < 400)
                            {
                                Log.NotFollowed(logger, (int)response.StatusCode, reason, method.Method + " " + uri.AbsolutePath, stopwatch.ElapsedMilliseconds);
                                throw ExchangeFailures.Redirected(_gatewayPrefix, uri, response, Scrub);
                            }

                            var answer = await _answers.ReadAsync(response.Content, AnswerReader.LimitFor(method), attempt.Token).ConfigureAwait(false);
                            var retryAfter = RetryAfterOf(response);
                            var problem = Scrub(answer.Problem);
                            if (logger.IsEnabled(LogLevel.Debug))
                            {
                                Log.Answered(logger, (int)response.StatusCode, reason, method.Method + " " + uri.AbsolutePath,
                                    stopwatch.ElapsedMilliseconds, answer.Text.Length, problem == null ? string.Empty : "; the body " + problem);
                            }

                            return new HttpAnswer(response.StatusCode, answerHoldsToken ? answer.Text : Scrubber.Scrub(answer.Text, sent), retryAfter, problem,
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
                        throw ExchangeFailures.TimedOut(timeout, exception);
                    }
                    catch (HttpRequestException exception)
                    {
                        var error = ExchangeFailures.Unreached(_gatewayPrefix, exception);
                        _circuit.OnFailure(error);
                        throw error;
                    }
                    catch (ObjectDisposedException exception)
                    {
                        throw ExchangeFailures.Disposed(exception);
                    }
                }
            }
        }

        private static HttpRequestMessage NewRequest(HttpMethod method, Uri uri, string? body, IEnumerable<KeyValuePair<string, string>> headers)
        {
            var request = new HttpRequestMessage(method, uri);
            // Documented for every call, so a bodiless POST has it too; not a GET (.NET Framework refuses it there, and it is not signed).
            if (method != HttpMethod.Get)
            {
                request.Content = new ByteArrayContent(body == null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(body));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
            }

            foreach (var header in headers)
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            // .NET Framework would send "Expect: 100-continue" and wait for a reply a gateway may never send.
            request.Headers.ExpectContinue = false;
            return request;
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

        private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
            response.Headers.RetryAfter is { } retryAfter ? retryAfter.Delta ?? (retryAfter.Date - DateTimeOffset.UtcNow) : null;

        // "{Request}" joins method and path: past six values the generator formats itself (null as "").
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
}
