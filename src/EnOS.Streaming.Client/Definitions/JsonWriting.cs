using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace EnOS.Streaming.Definitions
{
    /// <summary>Writing JSON text: the request bodies and the definition files are written this way.</summary>
    internal static class JsonWriting
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public static string ToText(JsonWriterOptions options, Action<Utf8JsonWriter> write)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, options))
                {
                    write(json);
                }

                return Utf8.GetString(buffer.ToArray());
            }
        }

        public static void WriteIfSet(this Utf8JsonWriter json, string name, string? value)
        {
            if (value != null)
            {
                json.WriteString(name, value);
            }
        }

        public static void WriteIfSet(this Utf8JsonWriter json, string name, int? value)
        {
            if (value.HasValue)
            {
                json.WriteNumber(name, value.Value);
            }
        }
    }
}
