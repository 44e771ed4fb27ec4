using System.Text.Json;

namespace EnOS.Streaming.Emulator
{
    /// <summary>What PUT /_emulator/limits configured (see docs/emulator.md).</summary>
    /// <param name="RatePerSecond">Streaming calls per second the app may make (0: no limit); a token bucket holding one second's worth.</param>
    /// <param name="RetryAfter">Whether a 429 carries Retry-After (whole seconds until a call would be accepted).</param>
    /// <param name="Headers">Whether every streaming answer carries RateLimit-Limit/-Remaining/-Reset/-Policy.</param>
    /// <param name="StartLockMs">After each accepted start, other starts of the organisation get 61121 for this long.</param>
    /// <param name="DownAfterCalls">The gateway goes down (stops listening, the process exits) at streaming call N+1.</param>
    public sealed record LimitSettings(double RatePerSecond, bool RetryAfter, bool Headers, int StartLockMs, int? DownAfterCalls,
        IReadOnlyDictionary<string, string>? ExtraHeaders = null, int? ExtraHeadersFor = null)
    {
        public static readonly LimitSettings None = new(0, true, false, 0, null);

        public object ToJson() => new
        {
            ratePerSecond = RatePerSecond,
            retryAfter = RetryAfter,
            headers = Headers,
            startLockMs = StartLockMs,
            downAfterCalls = DownAfterCalls,
            extraHeaders = ExtraHeaders,
            extraHeadersFor = ExtraHeadersFor,
        };

        /// <summary>Reads the PUT body; throws <see cref="FormatException"/> with a readable message.</summary>
        public static LimitSettings Parse(string body)
        {
            var root = JsonBody.ReadObject(body);

            var settings = None;
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                settings = property.Name.ToLowerInvariant() switch
                {
                    "ratepersecond" => settings with { RatePerSecond = Number(property.Name, value, 0, 100_000) },
                    "retryafter" => settings with { RetryAfter = Bool(property.Name, value) },
                    "headers" => settings with { Headers = Bool(property.Name, value) },
                    "startlockms" => settings with { StartLockMs = (int)Number(property.Name, value, 0, 3_600_000) },
                    "downaftercalls" => settings with { DownAfterCalls = value.ValueKind == JsonValueKind.Null ? null : (int)Number(property.Name, value, 0, int.MaxValue) },
                    "extraheaders" => settings with { ExtraHeaders = Texts(property.Name, value) },
                    "extraheadersfor" => settings with { ExtraHeadersFor = value.ValueKind == JsonValueKind.Null ? null : (int)Number(property.Name, value, 0, int.MaxValue) },
                    _ => throw new FormatException(
                        $"Unknown setting '{property.Name}'. Known: ratePerSecond, retryAfter, headers, startLockMs, downAfterCalls, extraHeaders, extraHeadersFor."),
                };
            }
            return settings;
        }

        private static double Number(string name, JsonElement value, double min, double max) =>
            value.ValueKind == JsonValueKind.Number && value.GetDouble() is var n && n >= min && n <= max
                ? n
                : throw new FormatException($"'{name}' must be a number from {min} to {max}.");

        private static Dictionary<string, string> Texts(string name, JsonElement value) =>
            value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String)
                ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase)
                : throw new FormatException($"'{name}' must be an object of header names and text values.");

        private static bool Bool(string name, JsonElement value) =>
            value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new FormatException($"'{name}' must be true or false."),
            };
    }
}
