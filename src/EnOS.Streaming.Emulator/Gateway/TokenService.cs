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
    public sealed class TokenService(EmulatorOptions options, EmulatorStats stats, TimeProvider clock)
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte> _usedEncryptions = new(StringComparer.Ordinal);
        private readonly Lock _issueLock = new();
        private string? _current;
        private volatile bool _revoked;

        /// <summary>Every token issued so far, for a hostile answer that leaks them.</summary>
        public IReadOnlyList<string> IssuedTokens => [.. _expiries.Keys];

        /// <summary>What a gateway that leaks its configuration would show: the app key and secret.</summary>
        public string AppConfiguration => $"appKey={options.AppKey} appSecret={options.AppSecret}";

        public bool IsValid(string token) =>
            _expiries.TryGetValue(token, out var expiry) && clock.GetUtcNow() < expiry;

        /// <summary>POST /apim-token-service/v2.0/token/get</summary>
        public TokenReply Get(string body) => Handle(body, refresh: false);

        /// <summary>POST /apim-token-service/v2.0/token/refresh</summary>
        public TokenReply Refresh(string body) => Handle(body, refresh: true);

        /// <summary>Every token issued so far is expired from now on (POST /_emulator/tokens/expire).</summary>
        public void ExpireAll()
        {
            var past = DateTimeOffset.MinValue;
            lock (_issueLock)
            {
                foreach (var token in _expiries.Keys)
                {
                    _expiries[token] = past;
                }

                _current = null;
            }
        }

        /// <summary>
        /// The application is deleted in the console (POST /_emulator/app/revoke): its tokens expire and
        /// the token service no longer knows its key (1002), as a runbook meets it mid-run.
        /// </summary>
        /// <summary>Undoes <see cref="RevokeApp"/>: credentials that were refused for a while work again.</summary>
        public void RestoreApp() => _revoked = false;

        public void RevokeApp()
        {
            _revoked = true;
            ExpireAll();
        }

        private TokenReply Handle(string body, bool refresh)
        {
            if (!JsonBody.TryReadObject(body, out var root))
            {
                // An empty body lacks the parameters; any other body that is not a JSON object is malformed.
                return Error(string.IsNullOrWhiteSpace(body) ? 1202 : 1004);
            }

            var appKey = Field(root, "appKey");
            var timestamp = Field(root, "timestamp");
            var encryption = Field(root, "encryption");
            var oldToken = refresh ? Field(root, "accessToken") : "";
            if (appKey is null || timestamp is null || encryption is null || oldToken is null
                || appKey.Length == 0 || timestamp.Length == 0 || encryption.Length == 0 || (refresh && oldToken.Length == 0))
            {
                return Error(1202);
            }

            if (_revoked || !string.Equals(appKey, options.AppKey, StringComparison.Ordinal))
            {
                return Error(1002);
            }

            var expected = SignatureVerifier.Sha256Hex(appKey + timestamp + options.AppSecret);
            if (!string.Equals(encryption, expected, StringComparison.Ordinal))
            {
                return Error(1003);
            }
            // Only a correct encryption is remembered: the gateway uses it as a replay guard.
            if (!_usedEncryptions.TryAdd(encryption, 0))
            {
                return Error(1001);
            }

            lock (_issueLock)
            {
                if (refresh)
                {
                    // A refresh may use an expired token (that is its point) but not an unknown one.
                    if (!_expiries.ContainsKey(oldToken))
                    {
                        return Error(1204);
                    }
                    // The old token stays valid until it expires, so calls already in flight still pass.
                    return Success(Issue());
                }

                var now = clock.GetUtcNow();
                if (_current is { } current && _expiries.TryGetValue(current, out var expiry) && now < expiry)
                {
                    return Success(current);
                }

                return Success(Issue());
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

        private TokenReply Success(string token)
        {
            // A token handed out again reports what it has left, rounded up so a fresh one says the full TTL.
            var left = _expiries[token] - clock.GetUtcNow();
            var expire = Math.Max(1, (long)Math.Ceiling(left.TotalSeconds));
            return new(0, "SUCCESS", new { accessToken = token, expire });
        }

        private static TokenReply Error(int status) => new(status, status switch
        {
            1001 => "repeated request: duplicated encryption",
            1002 => "app key does not exist",
            1003 => "encryption invalid",
            1004 => "invalid parameter",
            1202 => "parameter empty",
            1204 => "refresh failed",
            _ => "internal error",
        }, null);

        /// <summary>Reads a field as text; numbers keep their JSON spelling (the timestamp is signed in decimal).</summary>
        private static string? Field(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
        }

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
    }
}
