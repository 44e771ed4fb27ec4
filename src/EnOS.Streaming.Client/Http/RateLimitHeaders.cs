using System;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;

namespace EnOS.Streaming.Http
{
    /// <summary>The gateway's RateLimit-* headers (IETF draft, or X-RateLimit-*), each optional: EnOS documents none.</summary>
    internal sealed class RateLimitHeaders
    {
        // A reset above this is a Unix time in seconds, not a number of seconds to wait.
        private const long UnixTimeThreshold = 1_000_000_000;

        // The limiter keeps them for later commands: a hostile header must not stop the connection for years.
        internal static readonly TimeSpan MaxReset = TimeSpan.FromHours(1);
        internal static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

        public int? Limit { get; private set; }
        public int? Remaining { get; private set; }
        public TimeSpan? Reset { get; private set; }

        /// <summary>The window the limit counts over (RateLimit-Policy's w=), when given.</summary>
        public TimeSpan? Window { get; private set; }

        /// <summary>"X-" when the answer used the older X-RateLimit-* spelling, for messages that name the header.</summary>
        public string Prefix { get; private set; } = string.Empty;

        /// <summary>The policy as it reads in a message ("RateLimit-Policy: 1;w=3600"), from the numbers read, never the raw text.</summary>
        public string PolicyText => Window.HasValue
            ? $"{Prefix}RateLimit-Policy: {Limit};w={(long)Window.Value.TotalSeconds}"
            : $"{Prefix}RateLimit-Limit: {Limit}";

        /// <summary>The spent quota as it reads in a message ("RateLimit-Remaining: 0 with RateLimit-Reset: 3600").</summary>
        public string ResetText => $"{Prefix}RateLimit-Remaining: {Remaining} with {Prefix}RateLimit-Reset: {(long)(Reset ?? TimeSpan.Zero).TotalSeconds}";

        /// <summary>Calls per second the gateway allows, when both the limit and its window are known.</summary>
        public double? AllowedRate => Limit.HasValue && Window.HasValue && Window.Value > TimeSpan.Zero
            ? Limit.Value / Window.Value.TotalSeconds
            : (double?)null;

        /// <summary>Null when the answer carries no rate-limit header at all.</summary>
        public static RateLimitHeaders? Read(HttpResponseHeaders headers, DateTimeOffset utcNow)
        {
            var limit = Number(headers, "Limit");
            var remaining = Number(headers, "Remaining");
            var reset = Number(headers, "Reset");
            var policy = First(headers, "RateLimit-Policy") ?? First(headers, "X-RateLimit-Policy");
            if (limit == null && remaining == null && reset == null && policy == null)
            {
                return null;
            }

            var result = new RateLimitHeaders
            {
                Limit = limit.HasValue ? (int)Math.Min(limit.Value, int.MaxValue) : (int?)null,
                Remaining = remaining.HasValue ? (int)Math.Min(remaining.Value, int.MaxValue) : (int?)null,
                Prefix = First(headers, "RateLimit-Limit") == null && First(headers, "RateLimit-Remaining") == null
                         && First(headers, "RateLimit-Reset") == null && First(headers, "RateLimit-Policy") == null ? "X-" : string.Empty,
            };
            if (reset.HasValue)
            {
                // Clamped before any conversion: a Unix time past year 9999 would throw.
                var seconds = reset.Value > UnixTimeThreshold
                    ? reset.Value - utcNow.ToUnixTimeSeconds()
                    : reset.Value;
                result.Reset = TimeSpan.FromSeconds(Math.Max(0, Math.Min(seconds, (long)MaxReset.TotalSeconds)));
            }

            if (policy != null)
            {
                // "20;w=1" (draft) or "20, 20;w=1": the quota, then its window in seconds.
                var first = policy.Split(',')[0].Split(';');
                if (result.Limit == null && long.TryParse(first[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var quota))
                {
                    result.Limit = (int)Math.Min(quota, int.MaxValue);
                }

                foreach (var parameter in first.Skip(1))
                {
                    var pair = parameter.Split('=');
                    if (pair.Length == 2 && pair[0].Trim() == "w"
                        && long.TryParse(pair[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                    {
                        // Clamped before any conversion: w=1e18 would overflow a TimeSpan.
                        result.Window = TimeSpan.FromSeconds(Math.Min(seconds, (long)MaxWindow.TotalSeconds));
                    }
                }
            }

            return result;
        }

        private static long? Number(HttpResponseHeaders headers, string part)
        {
            var text = First(headers, "RateLimit-" + part) ?? First(headers, "X-RateLimit-" + part);
            // Some gateways list several policies ("20, 100"): the first is the one in force.
            var head = text?.Split(',')[0].Split(';')[0].Trim();
            return long.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (long?)null;
        }

        private static string? First(HttpResponseHeaders headers, string name) =>
            headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }
}
