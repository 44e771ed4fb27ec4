using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>
    /// The apim-token-service: issues access tokens for the one registered application and tells the
    /// streaming API whether a token is (still) valid.
    /// </summary>
    public sealed class TokenService(EmulatorOptions options, EmulatorStats stats, RequestLog log, TimeProvider clock)
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte> _usedEncryptions = new(StringComparer.Ordinal);
        private readonly Lock _issueLock = new();
        private string? _current;
        private volatile bool _revoked;

        /// <summary>What a leaking gateway shows first: the request's headers, every token issued so far, the app key and secret.</summary>
        public string Leak(HttpRequest request)
        {
            var headers = string.Join("; ", request.Headers.Where(h => h.Key.StartsWith("apim-", StringComparison.OrdinalIgnoreCase))
                .Select(h => $"{h.Key}: {h.Value}"));
            return $"Request headers: {headers}. Sessions: {string.Join(", ", _expiries.Keys)}. Config: appKey={options.AppKey} appSecret={options.AppSecret}.";
        }

        public bool IsValid(string token) =>
            _expiries.TryGetValue(token, out var expiry) && clock.GetUtcNow() < expiry;

        /// <summary>POST /apim-token-service/v2.0/token/get or …/refresh, answered in the service's "status" envelope.</summary>
        public Task HandleAsync(HttpContext context, RequestTarget target, string body, bool refresh)
        {
            var (status, data) = Answer(body, refresh);
            log.Add(context, target, null, refresh ? RedactForLog(body) : body, status);
            return Results.Json(
                    new { status, msg = Message(status), business = "apim-token-service", data }, ApiResult.JsonOptions)
                .ExecuteAsync(context);
        }

        /// <summary>Every token issued so far is expired from now on (POST /_emulator/tokens/expire).</summary>
        public void ExpireAll()
        {
            lock (_issueLock)
            {
                foreach (var token in _expiries.Keys)
                {
                    _expiries[token] = DateTimeOffset.MinValue;
                }
            }
        }

        /// <summary>
        /// The application is deleted in the console (POST /_emulator/app/revoke): its tokens expire and
        /// the token service no longer knows its key (1002), as a runbook meets it mid-run.
        /// </summary>
        public void RevokeApp()
        {
            _revoked = true;
            ExpireAll();
        }

        /// <summary>Undoes <see cref="RevokeApp"/>: credentials that were refused for a while work again.</summary>
        public void RestoreApp() => _revoked = false;

        private (int Status, object? Data) Answer(string body, bool refresh)
        {
            if (JsonBody.TryRead<TokenRequest>(body) is not { } request)
            {
                // An empty body lacks the parameters; any other body that is not a JSON object is malformed.
                return (string.IsNullOrWhiteSpace(body) ? 1202 : 1004, null);
            }

            var appKey = Text(request.AppKey);
            var timestamp = Text(request.Timestamp);
            var encryption = Text(request.Encryption);
            var oldToken = Text(request.AccessToken);
            if (appKey.Length == 0 || timestamp.Length == 0 || encryption.Length == 0 || (refresh && oldToken.Length == 0))
            {
                return (1202, null);
            }

            if (_revoked || !string.Equals(appKey, options.AppKey, StringComparison.Ordinal))
            {
                return (1002, null);
            }

            var expected = SignatureVerifier.Sha256Hex(appKey + timestamp + options.AppSecret);
            if (!string.Equals(encryption, expected, StringComparison.Ordinal))
            {
                return (1003, null);
            }
            // Only a correct encryption is remembered: the gateway uses it as a replay guard.
            if (!_usedEncryptions.TryAdd(encryption, 0))
            {
                return (1001, null);
            }

            lock (_issueLock)
            {
                // A refresh may use an expired token (that is its point) but not an unknown one; the old
                // token stays valid until it expires, so calls already in flight still pass.
                if (refresh)
                {
                    return _expiries.ContainsKey(oldToken) ? Success(Issue()) : (1204, null);
                }

                return Success(_current is { } current && IsValid(current) ? current : Issue());
            }
        }

        /// <summary>Must be called under <see cref="_issueLock"/>.</summary>
        private string Issue()
        {
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _expiries[token] = clock.GetUtcNow().AddSeconds(options.TokenTtlSeconds);
            _current = token;
            stats.CountTokenIssued();
            return token;
        }

        private (int Status, object? Data) Success(string token)
        {
            // A token handed out again reports what it has left, rounded up so a fresh one says the full TTL.
            var left = _expiries[token] - clock.GetUtcNow();
            var expire = Math.Max(1, (long)Math.Ceiling(left.TotalSeconds));
            return (0, new { accessToken = token, expire });
        }

        private static string Message(int status) => status switch
        {
            0 => "SUCCESS",
            1001 => "repeated request: duplicated encryption",
            1002 => "app key does not exist",
            1003 => "encryption invalid",
            1004 => "invalid parameter",
            1202 => "parameter empty",
            1204 => "refresh failed",
            _ => "internal error",
        };

        /// <summary>A field as text ("" when missing or neither text nor a number); numbers keep their JSON spelling (the timestamp is signed in decimal).</summary>
        private static string Text(JsonElement? field) => field?.ValueKind switch
        {
            JsonValueKind.String => field.Value.GetString()!,
            JsonValueKind.Number => field.Value.GetRawText(),
            _ => "",
        };

        /// <summary>The request log must never hold a token: blank out the accessToken of a refresh body.</summary>
        public static string RedactForLog(string body)
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject obj && obj.ContainsKey("accessToken"))
                {
                    obj["accessToken"] = "***";
                    return obj.ToJsonString();
                }
                return body;
            }
            catch (JsonException)
            {
                return body.Contains("accessToken", StringComparison.Ordinal) ? "<unparsable body withheld>" : body;
            }
        }

        private sealed record TokenRequest(JsonElement? AppKey, JsonElement? Timestamp, JsonElement? Encryption, JsonElement? AccessToken);
    }
}
