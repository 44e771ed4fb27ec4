using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EnOS.Streaming.Definitions
{
    /// <summary>A configuration (pipelineJson) in one canonical form (keys sorted, indented, LF): texts differing only in key order or spacing compare equal.</summary>
    internal static class PipelineConfiguration
    {
        /// <summary>Indented, and names in any script kept readable (in files and their diffs), not \uXXXX escapes.</summary>
        public static readonly JsonWriterOptions Indented = new JsonWriterOptions
        {
            Indented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        /// <summary>The configuration as a JSON object. Throws <see cref="FormatException"/> for text that is not one.</summary>
        public static JsonElement Parse(string pipelineJson)
        {
            try
            {
                using (var document = JsonDocument.Parse(pipelineJson))
                {
                    var root = document.RootElement.Clone();
                    return root.ValueKind == JsonValueKind.Object
                        ? root
                        : throw new FormatException($"PipelineJson is a JSON {Kind(root)}, not an object.");
                }
            }
            catch (JsonException exception)
            {
                throw new FormatException($"PipelineJson is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}).", exception);
            }
        }

        /// <summary>The canonical form. Throws <see cref="FormatException"/> for text that is not a JSON object.</summary>
        public static string Canonical(string pipelineJson) => Canonical(Parse(pipelineJson));

        public static string Canonical(JsonElement configuration) =>
            ToText(json => WriteSorted(json, configuration)).Replace("\r\n", "\n");

        private static string ToText(Action<Utf8JsonWriter> write)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, Indented))
                {
                    write(json);
                }

                return Encoding.UTF8.GetString(buffer.ToArray());
            }
        }

        /// <summary>Objects with their keys in ordinal order, at every depth; arrays and values as they are (numbers keep their digits).</summary>
        public static void WriteSorted(Utf8JsonWriter json, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    json.WriteStartObject();
                    foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        json.WritePropertyName(property.Name);
                        WriteSorted(json, property.Value);
                    }

                    json.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    json.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                    {
                        WriteSorted(json, item);
                    }

                    json.WriteEndArray();
                    break;
                default:
                    element.WriteTo(json);
                    break;
            }
        }

        /// <summary>The kind of a JSON value in words, for messages: "array", "string", ...</summary>
        public static string Kind(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True => "boolean",
            JsonValueKind.False => "boolean",
            JsonValueKind.Null => "null",
            _ => "object",
        };
    }
}
