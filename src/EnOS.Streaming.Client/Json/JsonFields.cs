using System.Globalization;
using System.Text.Json;

namespace EnOS.Streaming.Json
{
    /// <summary>Tolerant field reads: missing is null, a number may come as a string and a string as a number (the API's samples disagree).</summary>
    internal static class JsonFields
    {
        public static string? String(JsonElement obj, string name) => Field(obj, name) switch
        {
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
            { } value => value.GetRawText(),
        };

        public static int? Int(JsonElement obj, string name) =>
            Field(obj, name) is { } value && TryReadInt(value, out var number) ? number : null;

        public static long? Long(JsonElement obj, string name) =>
            Field(obj, name) is { } value
            && (value.ValueKind == JsonValueKind.Number
                ? value.TryGetInt64(out var number)
                : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
                ? number
                : null;

        public static bool TryReadInt(JsonElement value, out int number)
        {
            number = 0;
            return value.ValueKind == JsonValueKind.Number
                ? value.TryGetInt32(out number)
                : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number);
        }

        private static JsonElement? Field(JsonElement obj, string name) =>
            obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : null;
    }
}
