using System.Globalization;
using System.Text.Json;

namespace EnOS.Streaming.Json
{
    /// <summary>Tolerant field reads: missing is null, a number may come as a string and a string as a number (the API's samples disagree).</summary>
    internal static class JsonFields
    {
        public static string? String(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            };
        }

        public static int? Int(JsonElement obj, string name) =>
            obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && TryReadInt(value, out var number)
                ? number
                : (int?)null;

        public static long? Long(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            {
                return number;
            }

            return value.ValueKind == JsonValueKind.String
                   && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number)
                ? number
                : (long?)null;
        }

        public static bool TryReadInt(JsonElement value, out int number)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out number))
            {
                return true;
            }

            number = 0;
            return value.ValueKind == JsonValueKind.String
                   && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number);
        }
    }
}
