using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Signing;
using EnOS.Streaming.Starts;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// The request chain: every API call takes these steps, outermost first (as Azure.Core's HttpPipeline orders its
    /// policies); a token request takes steps 1, 4, 5 and 6 (<see cref="TokenServiceClient"/>).
    /// <list type="number">
    /// <item><b>Retry</b> (<see cref="RetryPolicy"/> on <see cref="ResponseClassifier"/>'s verdicts; starts take turns in
    /// <see cref="StartQueue"/>): outermost, so each attempt is signed afresh and one time budget covers every wait.</item>
    /// <item><b>Authenticate</b> (<see cref="TokenCache"/>): before the pace, so no slot waits for a token request.</item>
    /// <item><b>Sign</b> (<see cref="RequestSigner"/>): the three apim-* headers.</item>
    /// <item><b>Pace</b> (<see cref="GatewayCircuit"/>, <see cref="AdaptiveLimiter"/>): a dead gateway fails at once.</item>
    /// <item><b>Send, bound the answer</b> (<see cref="GatewayHttp"/>, <see cref="AnswerReader"/>, <see cref="AnswerScrubber"/>).</item>
    /// <item><b>Classify</b> (<see cref="HttpAnswer.ReadEnvelope"/>): transport failure or, for a non-zero code, an
    /// <see cref="EnosApiException"/>, inside the attempt so step 1 sees it; 1203 renews the token and goes once more.</item>
    /// </list>
    /// </summary>
    internal sealed partial class RequestChain(GatewayHttp http, TokenCache tokens, AppCredential credential, RetryPolicy retry, AdaptiveLimiter limiter,
        StartQueue? starts = null, Func<DateTimeOffset>? utcNow = null)
    {
        private readonly StartQueue _starts = starts ?? new StartQueue();
        private readonly Func<DateTimeOffset> _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);

        /// <summary>The connection's token, which the token requests of the chain fill.</summary>
        public TokenCache Tokens => tokens;

        /// <summary>One connection's chain: its commands share the circuit, the limiter, the token and the start queues.</summary>
        public static RequestChain Compose(IHttpClientFactory clients, string clientName, Uri gatewayUrl, AppCredential credential, StreamingClientOptions options)
        {
            var http = new GatewayHttp(clients, clientName, gatewayUrl, new GatewayCircuit(), new AnswerScrubber(credential.AppKey, credential.AppSecret));
            var retry = new RetryPolicy(options);
            // One limiter for token requests and API calls: a gateway throttling the API throttles its token service too.
            var limiter = new AdaptiveLimiter(options.MaxConnectionsPerServer);
            var tokens = new TokenCache(new TokenServiceClient(http, credential, retry, limiter));
            return new RequestChain(http, tokens, credential, retry, limiter, new StartQueue());
        }

        /// <summary>Returns the envelope's data (Undefined when there was none) or throws.</summary>
        public async Task<JsonElement> CallAsync(ApiRequest request, ILogger logger, CancellationToken cancellationToken)
        {
            // 1. Retry: each attempt is steps 2 to 6.
            var envelope = await retry.ExecuteAsync(
                attemptToken => AttemptAsync(request, logger, attemptToken),
                request.Operation, logger, cancellationToken,
                request.StartsInOrg == null ? null : _starts.For(request.StartsInOrg), request.Repeatable, request.StartBudget).ConfigureAwait(false);
            return envelope.Data;
        }

        private async Task<ApiEnvelope> AttemptAsync(ApiRequest request, ILogger logger, CancellationToken cancellationToken)
        {
            var uri = http.BuildUri(request.EscapedPath, request.Query);
            for (var attempt = 1; ; attempt++)
            {
                // 2. Authenticate, outside the pace's turn: a token request takes a turn of its own.
                var token = await tokens.GetTokenAsync(logger, cancellationToken).ConfigureAwait(false);
                // 3. Sign.
                var headers = Signed(request, token);
                // 4. Pace: the circuit first, so a dead gateway's calls fail without a paced turn. 5. Send.
                http.ThrowIfUnreachable();
                var answer = await limiter.SendAsync(
                    () => http.SendAsync(request.Method, uri, request.Body, headers, logger, traceBody: true, cancellationToken),
                    cancellationToken).ConfigureAwait(false);

                // 6. Classify.
                var envelope = answer.ReadEnvelope("code");
                Log.Answered(logger, envelope.Code, envelope.Message, envelope.RequestId);

                if (ResponseClassifier.ResendsWithinAttempt(envelope.Code, tokenRequest: false, attempt))
                {
                    Log.TokenExpired(logger);
                    tokens.Invalidate(token);
                    continue;
                }

                if (envelope.Code != EnosErrorCodes.Success)
                {
                    // Thrown inside the attempt, so the classifier sees it (61121 on a start queues).
                    throw new EnosApiException(envelope.Code, envelope.Message, envelope.RequestId, request.Operation);
                }

                return envelope;
            }
        }

        private KeyValuePair<string, string>[] Signed(ApiRequest request, string token)
        {
            var timestamp = _utcNow().ToUnixTimeMilliseconds();
            return new[]
            {
                new KeyValuePair<string, string>(GatewayHttp.AccessTokenHeader, token),
                new KeyValuePair<string, string>(GatewayHttp.SignatureHeader,
                    RequestSigner.ComputeSignature(token, request.Query, request.Body, timestamp, credential.AppSecret)),
                new KeyValuePair<string, string>(GatewayHttp.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)),
            };
        }

        private static partial class Log
        {
            [LoggerMessage(Level = LogLevel.Debug, Message = "EnOS answered code {Code} \"{Message}\", request id {RequestId}.")]
            public static partial void Answered(ILogger logger, int code, string? message, string? requestId);

            [LoggerMessage(Level = LogLevel.Information,
                Message = "The gateway says the access token expired (EnOS 1203): renewing the access token and sending the call once more.")]
            public static partial void TokenExpired(ILogger logger);
        }
    }
}
