using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>
    /// Checks the apim-* headers of a streaming call. Written from the shared API document on its
    /// own (it does not reuse the module's client code) because its job is to catch mistakes there.
    /// </summary>
    public sealed class SignatureVerifier(TokenService tokens, EmulatorOptions options, TimeProvider clock)
    {
        /// <summary>The gateway's skew tolerance is undocumented; 15 minutes is the emulator's choice.</summary>
        private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

        /// <summary>Null when the call may go on, else the API's refusal.</summary>
        public ApiResult? Refusal(IHeaderDictionary headers, RequestTarget target, string body)
        {
            string? token = headers["apim-accesstoken"];
            string? timestamp = headers["apim-timestamp"];
            string? signature = headers["apim-signature"];
            if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
            {
                return ApiResult.Error(1202, "parameter empty");
            }

            if (!tokens.IsValid(token))
            {
                return ApiResult.Error(1203, "access token expired");
            }

            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                || Math.Abs(clock.GetUtcNow().ToUnixTimeMilliseconds() - ms) > (long)AllowedSkew.TotalMilliseconds)
            {
                return ApiResult.Error(1201, "Signature verification failed: timestamp outside the allowed window.");
            }

            // sha256hex(token + Σ(name + value) over the decoded query sorted ordinally by name + body + timestamp + secret);
            // OrderBy is stable, so repeated names keep the order they were sent in.
            var query = string.Concat(target.Query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
            var expected = Sha256Hex(token + query + body + timestamp + options.AppSecret);
            // Constant-time comparison: cheap, and the habit costs nothing even in an emulator.
            var matches = CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
            return matches ? null : ApiResult.Error(1201, "Signature verification failed.");
        }

        public static string Sha256Hex(string text) =>
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
