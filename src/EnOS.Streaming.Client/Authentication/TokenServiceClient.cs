using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using EnOS.Streaming.Json;
using EnOS.Streaming.Signing;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Authentication
{
    /// <summary>Gets and refreshes tokens, in turn in the connection's <see cref="AdaptiveLimiter"/>: a gateway throttling the API throttles these too.</summary>
    internal sealed partial class TokenServiceClient(GatewayHttp http, AppCredential credential, RetryPolicy retry, AdaptiveLimiter limiter,
        Func<DateTimeOffset>? utcNow = null) : IAccessTokenSource
    {
        private const string GetPath = "/apim-token-service/v2.0/token/get";
        private const string RefreshPath = "/apim-token-service/v2.0/token/refresh";

        internal static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(2);
        internal static readonly TimeSpan MinTokenLifetime = TimeSpan.FromSeconds(60);
        internal static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromHours(24);

        private readonly Func<DateTimeOffset> _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);

        public Task<AccessToken> GetNewAsync(ILogger logger, CancellationToken cancellationToken)
        {
            Log.RequestingToken(logger, credential.AppKey);
            return RequestAsync(GetPath, null, logger, cancellationToken);
        }

        // The renewal itself is told by TokenCache, which knows why it renews.
        public Task<AccessToken> RefreshAsync(AccessToken current, ILogger logger, CancellationToken cancellationToken) =>
            RequestAsync(RefreshPath, current.Value, logger, cancellationToken);

        private async Task<AccessToken> RequestAsync(string path, string? currentToken, ILogger logger, CancellationToken cancellationToken)
        {
            try
            {
                return await retry.ExecuteAsync(async attemptToken =>
                {
                    for (var sent = 1; ; sent++)
                    {
                        try
                        {
                            return await RequestOnceAsync(path, currentToken, logger, attemptToken).ConfigureAwait(false);
                        }
                        catch (EnosApiException exception) when (ResponseClassifier.ResendsWithinAttempt(exception.Code, tokenRequest: true, sent))
                        {
                            await Task.Delay(2, attemptToken).ConfigureAwait(false);
                        }
                    }
                }, "get an access token", logger, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosTransportException exception)
            {
                // The reporter names its own operation; the token step is said here, once.
                throw exception.WithReason("while getting an access token, " + exception.Reason, null);
            }
        }

        private async Task<AccessToken> RequestOnceAsync(string path, string? currentToken, ILogger logger, CancellationToken cancellationToken)
        {
            var timestamp = _utcNow().ToUnixTimeMilliseconds();
            var encryption = RequestSigner.ComputeTokenEncryption(credential.AppKey, timestamp, credential.AppSecret);
            var body = JsonSerializer.Serialize(
                new { appKey = credential.AppKey, timestamp, encryption, accessToken = currentToken }, RequestBodies.LeaveOutUnset);
            var uri = http.BuildUri(path, Array.Empty<KeyValuePair<string, string>>());
            // traceBody false: the hash comes from the secret. No API call waits for a token in its turn, so this turn waits on none.
            http.ThrowIfUnreachable();
            var answer = await limiter.SendAsync(
                () => http.SendAsync(HttpMethod.Post, uri, body, Array.Empty<KeyValuePair<string, string>>(),
                    logger, traceBody: false, cancellationToken, answerHoldsToken: true),
                cancellationToken).ConfigureAwait(false);
            var envelope = answer.ReadEnvelope("status", bodyIsSecret: true);
            if (envelope.Code != EnosErrorCodes.Success)
            {
                // The message alone is quoted, without the request's and the connection's secrets.
                var message = http.Scrubber.ScrubOrNull(envelope.Message, new[] { currentToken ?? string.Empty, encryption });
                throw new EnosApiException(envelope.Code, message, envelope.RequestId,
                    $"get an access token for app key '{credential.AppKey}'");
            }

            var token = JsonFields.String(envelope.Data, "accessToken");
            if (string.IsNullOrEmpty(token))
            {
                throw new EnosTransportException(
                    "the token service answered success but sent no accessToken", null, null,
                    TransportFailure.InvalidResponse, answer.StatusCode, null);
            }

            http.Scrubber.Remember(token!);
            var lifetime = TokenLifetime(envelope.Data, logger);
            Log.GotToken(logger, (long)lifetime.TotalSeconds);
            var now = _utcNow();
            return new AccessToken(token!, now, now + lifetime);
        }

        /// <summary><c>expire</c> within 60 s..24 h (zero: a token request per call; 1e12: an overflow); absent or unreadable, the documented 2 h.</summary>
        internal static TimeSpan TokenLifetime(JsonElement data, ILogger logger)
        {
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("expire", out var expire) || expire.ValueKind == JsonValueKind.Null)
            {
                return DefaultTokenLifetime;
            }

            var seconds = double.NaN;
            var readable = expire.ValueKind == JsonValueKind.Number
                ? expire.TryGetDouble(out seconds)
                : expire.ValueKind == JsonValueKind.String
                  && double.TryParse(expire.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds);
            if (!readable || double.IsNaN(seconds))
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var sent = ApiEnvelope.Excerpt(expire.GetRawText());
                    Log.ExpireUnreadable(logger, sent, (long)DefaultTokenLifetime.TotalSeconds);
                }

                return DefaultTokenLifetime;
            }

            var clamped = Math.Max(MinTokenLifetime.TotalSeconds, Math.Min(MaxTokenLifetime.TotalSeconds, seconds));
            if (clamped != seconds && logger.IsEnabled(LogLevel.Information))
            {
                var sent = seconds.ToString("R", CultureInfo.InvariantCulture);
                Log.ExpireClamped(logger, sent, clamped, (long)MinTokenLifetime.TotalSeconds, (long)MaxTokenLifetime.TotalSeconds);
            }

            return TimeSpan.FromSeconds(clamped);
        }

        private static partial class Log
        {
            [LoggerMessage(Level = LogLevel.Information, Message = "Requesting an access token for app key '{AppKey}'.")]
            public static partial void RequestingToken(ILogger logger, string appKey);

            [LoggerMessage(Level = LogLevel.Information, Message = "Got an access token valid for {Lifetime} s.")]
            public static partial void GotToken(ILogger logger, long lifetime);

            [LoggerMessage(Level = LogLevel.Information, Message = "The token service's expire ({Expire}) is not a number of seconds; taking the documented {Default} s.")]
            public static partial void ExpireUnreadable(ILogger logger, string expire, long @default);

            [LoggerMessage(Level = LogLevel.Information,
                Message = "The token service says the token expires in {Expire} s; taking {Clamped} s instead (the module keeps a token between {Min} s and {Max} s).")]
            public static partial void ExpireClamped(ILogger logger, string expire, double clamped, long min, long max);
        }
    }
}
