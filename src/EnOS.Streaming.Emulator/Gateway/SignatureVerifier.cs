using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>
    /// Checks the apim-* headers of a streaming call. Written from the shared API document on its
    /// own (it does not reuse the module's client code) because its job is to catch mistakes there.
    /// </summary>
    public sealed class SignatureVerifier(TokenService tokens, string appSecret, TimeProvider clock)
    {
        public const string TokenHeader = "apim-accesstoken";
        public const string SignatureHeader = "apim-signature";
        public const string TimestampHeader = "apim-timestamp";

        /// <summary>The gateway's skew tolerance is undocumented; 15 minutes is the emulator's choice.</summary>
        public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

        public AuthResult Verify(string? token, string? timestamp, string? signature, RequestTarget target, string body)
        {
            if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
            {
                return new(1202, "parameter empty");
            }

            if (!tokens.IsValid(token))
            {
                return new(1203, "access token expired");
            }

            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                || Math.Abs(clock.GetUtcNow().ToUnixTimeMilliseconds() - ms) > (long)AllowedSkew.TotalMilliseconds)
            {
                return new(1201, "Signature verification failed: timestamp outside the allowed window.");
            }

            var expected = Compute(token, target.Query, body, timestamp, appSecret);
            // Constant-time comparison: cheap, and the habit costs nothing even in an emulator.
            var matches = CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
            return matches ? AuthResult.Ok : new(1201, "Signature verification failed.");
        }

        /// <summary>
        /// sha256hex(token + Σ(name + value) over the decoded query sorted ordinally by name + body + timestamp + secret).
        /// </summary>
        public static string Compute(
            string token, IEnumerable<KeyValuePair<string, string>> query, string body, string timestamp, string secret)
        {
            var data = new StringBuilder(token);
            // OrderBy is stable, so repeated names keep the order they were sent in.
            foreach (var (name, value) in query.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                data.Append(name).Append(value);
            }

            data.Append(body).Append(timestamp).Append(secret);
            return Sha256Hex(data.ToString());
        }

        public static string Sha256Hex(string text) =>
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
