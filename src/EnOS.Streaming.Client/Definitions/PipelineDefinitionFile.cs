using System;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace EnOS.Streaming
{
    /// <summary>
    /// Pipeline definitions as files for version control: one JSON file per pipeline, written in
    /// one canonical form (fixed field order, the configuration's keys sorted, two-space indents,
    /// LF line ends, UTF-8 without BOM, a final newline), so that the same definition always gives
    /// the same bytes and a diff shows only real changes. Reading is strict: a file that is not a
    /// definition is refused with a message that names what is wrong and where.
    /// </summary>
    public static class PipelineDefinitionFile
    {
        public const string Extension = ".json";

        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private static readonly string[] Fields =
            { "name", "pipelineId", "orgId", "description", "version", "templateType", "templateName", "messageChannel", "pipelineJson" };

        /// <summary>The file's bytes for a definition. Throws <see cref="FormatException"/> when its PipelineJson is not a JSON object.</summary>
        public static byte[] ToBytes(PipelineDefinition definition)
        {
            var text = JsonWriting.ToText(PipelineConfiguration.Indented, json =>
            {
                json.WriteStartObject();
                json.WriteIfSet("name", definition.Name);
                json.WriteIfSet("pipelineId", definition.PipelineId);
                json.WriteIfSet("orgId", definition.OrgId);
                json.WriteIfSet("description", definition.Description);
                json.WriteIfSet("version", definition.Version);
                json.WriteIfSet("templateType", definition.TemplateType);
                json.WriteIfSet("templateName", definition.TemplateName);
                json.WriteIfSet("messageChannel", definition.MessageChannel);
                if (definition.PipelineJson != null)
                {
                    json.WritePropertyName("pipelineJson");
                    PipelineConfiguration.WriteSorted(json, PipelineConfiguration.Parse(definition.PipelineJson));
                }

                json.WriteEndObject();
            });

            // JSON strings cannot hold a raw line break, so every CR LF here is the writer's own.
            return Utf8.GetBytes(text.Replace("\r\n", "\n") + "\n");
        }

        /// <summary>
        /// The configuration in canonical form (keys sorted, indented): equal for two texts that
        /// differ only in key order or spacing. Throws <see cref="FormatException"/> for text that
        /// is not a JSON object. PowerShell calls it too: the format view shows the configuration so.
        /// </summary>
        public static string CanonicalJson(string pipelineJson) => PipelineConfiguration.Canonical(pipelineJson);

        /// <summary>Reads a definition file. Throws <see cref="FormatException"/> naming what is wrong (the caller names the file).</summary>
        public static PipelineDefinition Read(byte[] bytes, string path)
        {
            var root = ReadObject(bytes);
            var definition = new PipelineDefinition
            {
                Name = Text(root, "name"),
                PipelineId = Text(root, "pipelineId"),
                OrgId = Text(root, "orgId"),
                Description = Text(root, "description"),
                Version = Text(root, "version"),
                TemplateType = Integer(root, "templateType"),
                TemplateName = Text(root, "templateName"),
                MessageChannel = Integer(root, "messageChannel"),
                Path = path,
            };
            if (string.IsNullOrWhiteSpace(definition.Name))
            {
                throw new FormatException("it has no \"name\": the pipeline's name is what a definition is saved under.");
            }

            if (!root.TryGetProperty("pipelineJson", out var configuration) || configuration.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException(configuration.ValueKind == JsonValueKind.Undefined
                    ? "it has no \"pipelineJson\" (the pipeline's configuration, a JSON object)."
                    : $"its \"pipelineJson\" is a JSON {PipelineConfiguration.Kind(configuration)}, not an object.");
            }

            definition.PipelineJson = PipelineConfiguration.Canonical(configuration);
            return definition;
        }

        /// <summary>The file's JSON object, checked to hold only a definition's fields.</summary>
        private static JsonElement ReadObject(byte[] bytes)
        {
            string text;
            try
            {
                var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
                text = Utf8.GetString(bytes, start, bytes.Length - start);
            }
            catch (DecoderFallbackException)
            {
                throw new FormatException("it is not UTF-8 text.");
            }

            JsonElement root;
            try
            {
                using (var document = JsonDocument.Parse(text))
                {
                    root = document.RootElement.Clone();
                }
            }
            catch (JsonException exception)
            {
                throw new FormatException($"it is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}).");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"it holds a JSON {PipelineConfiguration.Kind(root)}, not a pipeline definition (an object with \"name\" and \"pipelineJson\").");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new FormatException($"it has the field \"{property.Name}\", which a pipeline definition does not have (expected: {string.Join(", ", Fields)}).");
                }
            }

            return root;
        }

        /// <summary>
        /// The file name for a pipeline: its name, with the characters no file system takes
        /// replaced by '_'. Pass <paramref name="withId"/> when two pipelines of one export would
        /// otherwise share a name (or differ only in case).
        /// </summary>
        public static string FileName(PipelineDefinition definition, bool withId)
        {
            var name = definition.Name;
            var builder = new StringBuilder();
            foreach (var c in string.IsNullOrWhiteSpace(name) ? definition.PipelineId ?? "pipeline" : name!)
            {
                builder.Append(c < 32 || c == 127 || "<>:\"/\\|?*".IndexOf(c) >= 0 ? '_' : c);
            }

            var stem = builder.ToString().Trim().TrimEnd('.');
            if (stem.Length == 0 || IsReservedOnWindows(stem))
            {
                stem = "_" + stem;
            }

            if (withId && definition.PipelineId != null)
            {
                stem += "." + FileName(new PipelineDefinition { Name = definition.PipelineId }, false).Replace(Extension, string.Empty);
            }

            return stem + Extension;
        }

        private static bool IsReservedOnWindows(string stem)
        {
            var root = stem.Split('.')[0].ToUpperInvariant();
            return root == "CON" || root == "PRN" || root == "AUX" || root == "NUL"
                   || (root.Length == 4 && (root.StartsWith("COM", StringComparison.Ordinal) || root.StartsWith("LPT", StringComparison.Ordinal)) && char.IsDigit(root[3]));
        }

        private static string? Text(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new FormatException($"its \"{name}\" is a JSON {PipelineConfiguration.Kind(value)}, not a string.");
        }

        private static int? Integer(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : throw new FormatException($"its \"{name}\" is {(value.ValueKind == JsonValueKind.Number ? "not a whole number" : "a JSON " + PipelineConfiguration.Kind(value))}; it must be a whole number.");
        }
    }
}
