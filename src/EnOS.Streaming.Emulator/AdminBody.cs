using System.Text.Json;

namespace EnOS.Streaming.Emulator
{
    /// <summary>The JSON bodies of the admin endpoints.</summary>
    public static class AdminBody
    {
        /// <summary>Parses a body that must be one JSON object; throws <see cref="FormatException"/> with a readable message.</summary>
        public static JsonElement ReadObject(string body)
        {
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(body);
                root = doc.RootElement.Clone();
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
    }
}
