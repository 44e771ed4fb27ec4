using System.Text.Json;

namespace EnOS.Streaming.Emulator;

/// <summary>Reading the JSON bodies of the admin endpoints that configure modes.</summary>
public static class AdminJson
{
    /// <summary>The body as a JSON object; throws <see cref="FormatException"/> with a readable message.</summary>
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
        return root.ValueKind == JsonValueKind.Object ? root : throw new FormatException("The body must be a JSON object.");
    }
}
