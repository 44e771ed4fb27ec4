using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Signing;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// Calls the streaming API, signed (the transport underneath is <see cref="GatewayHttp"/>): a token from the cache, a fresh timestamp and signature for
    /// every attempt, one renewal and resend on 1203, each send paced by the connection's
    /// <see cref="AdaptiveLimiter"/>, failures retried as <see cref="ResponseClassifier"/> decides, and
    /// a non-zero code turned into an <see cref="EnosApiException"/>.
    /// </summary>
    internal sealed partial class SignedApiCaller
    {
        private readonly GatewayHttp _http;
        private readonly TokenCache _tokens;
        private readonly AppCredential _credential;
        private readonly RetryPolicy _retry;
        private readonly AdaptiveLimiter _limiter;
        private readonly StartQueue _starts;
        private readonly Func<DateTimeOffset> _utcNow;

        public SignedApiCaller(GatewayHttp http, TokenCache tokens, AppCredential credential, RetryPolicy retry, AdaptiveLimiter limiter,
            StartQueue? starts = null, Func<DateTimeOffset>? utcNow = null)
        {
            _http = http;
            _tokens = tokens;
            _credential = credential;
            _retry = retry;
            _limiter = limiter;
            _starts = starts ?? new StartQueue();
            _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>Returns the envelope's data (Undefined when there was none) or throws.</summary>
        public async Task<JsonElement> CallAsync(ApiRequest request, ILogger logger, CancellationToken cancellationToken)
        {
            var envelope = await _retry.ExecuteAsync(
                attemptToken => SendWithTokenRenewalAsync(request, logger, attemptToken),
                request.Operation, logger, cancellationToken,
                request.StartsInOrg == null ? null : _starts.For(request.StartsInOrg), request.Repeatable, request.StartBudget).ConfigureAwait(false);
            return envelope.Data;
        }

        private async Task<ApiEnvelope> SendWithTokenRenewalAsync(ApiRequest request, ILogger logger, CancellationToken cancellationToken)
        {
            var uri = _http.BuildUri(request.EscapedPath, request.Query);
            for (var attempt = 1; ; attempt++)
            {
                var token = await _tokens.GetTokenAsync(logger, cancellationToken).ConfigureAwait(false);
                var timestamp = _utcNow().ToUnixTimeMilliseconds();
                var headers = new[]
                {
                    new KeyValuePair<string, string>(GatewayHttp.AccessTokenHeader, token),
                    new KeyValuePair<string, string>(GatewayHttp.SignatureHeader,
                        RequestSigner.ComputeSignature(token, request.Query, request.Body, timestamp, _credential.AppSecret)),
                    new KeyValuePair<string, string>(GatewayHttp.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)),
                };
                // Before the limiter's queue, not only after it: a dead gateway's calls fail at
                // once instead of each waiting for a paced turn first. The token was taken above,
                // outside the turn: a token request takes a turn of its own.
                _http.ThrowIfUnreachable();
                var answer = await _limiter.SendAsync(
                    () => _http.SendAsync(request.Method, uri, request.Body, headers, logger, traceBody: true, cancellationToken),
                    cancellationToken).ConfigureAwait(false);

                var envelope = answer.ReadEnvelope("code");
                Log.Answered(logger, envelope.Code, envelope.Message, envelope.RequestId);

                if (envelope.Code == EnosErrorCodes.AccessTokenExpired && attempt == 1)
                {
                    Log.TokenExpired(logger);
                    _tokens.Invalidate(token);
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
