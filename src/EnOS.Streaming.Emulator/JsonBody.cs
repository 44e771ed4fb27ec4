using System.Text.Json;

namespace EnOS.Streaming.Emulator
{
    /// <summary>Request bodies that must be one JSON object: the admin endpoints' and the API's.</summary>
    public static class JsonBody
    {
        /// <summary>Parses an admin body; throws <see cref="FormatException"/> with a readable message.</summary>
        public static JsonElement ReadObject(string body)
        {
            JsonElement root;
            try
            {
                root = Parse(body);
            }
            catch (JsonException e)
            {
                throw new FormatException("The body is not JSON: " + e.Message);
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The body must be a JSON object.");
            }

            return root;
        }

        /// <summary>Parses an API body; false when it is not JSON or not an object (the service's 61100).</summary>
        public static bool TryReadObject(string body, out JsonElement root)
        {
            try
            {
                root = Parse(body);
            }
            catch (JsonException)
            {
                root = default;
                return false;
            }
            return root.ValueKind == JsonValueKind.Object;
        }

        private static JsonElement Parse(string body)
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
    }
}
