using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace EnOS.Streaming.Signing
{
    /// <summary>The EnOS gateway's signing rules, kept in one place and free of I/O so they can be checked against the documented test vector.</summary>
    internal static class RequestSigner
    {
        /// <summary>apim-signature: SHA-256 over token + query (sorted by name, each name + decoded value) + body + timestamp + appSecret.</summary>
        public static string ComputeSignature(
            string accessToken,
            IEnumerable<KeyValuePair<string, string>> queryParameters,
            string? body,
            long timestampMilliseconds,
            string appSecret)
        {
            var signData = new StringBuilder(accessToken);
            // Ordinal, as the gateway sorts by ASCII; ties (repeated names) by value keep it stable.
            foreach (var parameter in queryParameters
                         .OrderBy(p => p.Key, StringComparer.Ordinal)
                         .ThenBy(p => p.Value, StringComparer.Ordinal))
            {
                signData.Append(parameter.Key).Append(parameter.Value);
            }

            signData.Append(body ?? string.Empty)
                    .Append(timestampMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Append(appSecret);
            return Sha256Hex(signData.ToString());
        }

        /// <summary>The token service's "encryption": SHA-256 over appKey + timestamp + appSecret.</summary>
        public static string ComputeTokenEncryption(string appKey, long timestampMilliseconds, string appSecret) =>
            Sha256Hex(appKey + timestampMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + appSecret);

        internal static string Sha256Hex(string text)
        {
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
                return string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }
}
