using System.Globalization;
using System.Text.Json;

namespace EnOS.Streaming.Emulator
{
    /// <summary>
    /// A pipeline's configuration as Save Pipeline takes it and Get Pipeline Details answers it. Each
    /// pipeline keeps two: the saved design (what a save changes) and the released one (what a
    /// release copies the saved design to), so that a save, a details call and a release agree.
    /// </summary>
    public sealed record StoredDefinition(
        string Name, string Description, string Version, int TemplateType, string TemplateName, int MessageChannel, string PipelineJson)
    {
        /// <summary>What a seeded pipeline starts with, released as saved. Keys deliberately not in sorted order.</summary>
        public static StoredDefinition Seed(string id, string name, string version, int templateType) => new(
            name, "", version, templateType, TemplateNameOf(templateType), 0,
            string.Create(CultureInfo.InvariantCulture,
                $$"""{"stages":[{"type":"input","topic":"stream_{{id}}"},{"type":"output","target":"tsdb"}],"alarm":{"mode":1},"kafkaRate":1000}"""));

        /// <summary>
        /// This definition with the fields of a Save Pipeline body applied. Returns null and the
        /// reason when the body is not a valid configuration (the service's 61100).
        /// </summary>
        public static (StoredDefinition? Definition, int Code, string? Problem) Apply(StoredDefinition? current, string body)
        {
            if (!JsonBody.TryReadObject(body, out var root))
            {
                return (null, 61100, null);
            }

            var next = current ?? new StoredDefinition("", "", "1.0", 1, TemplateNameOf(1), 0, "{}");
            foreach (var field in root.EnumerateObject())
            {
                var value = field.Value;
                switch (field.Name)
                {
                    case "name" when value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length > 0:
                        next = next with { Name = value.GetString()! };
                        break;
                    case "version" when value.ValueKind == JsonValueKind.String:
                        next = next with { Version = value.GetString()! };
                        break;
                    case "templateName" when value.ValueKind == JsonValueKind.String:
                        next = next with { TemplateName = value.GetString()! };
                        break;
                    case "templateType" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var type):
                        next = next with { TemplateType = type };
                        break;
                    case "messageChannel" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var channel) && channel is 0 or 1:
                        next = next with { MessageChannel = channel };
                        break;
                    case "pipelineJson" when value.ValueKind == JsonValueKind.Object:
                        next = next with { PipelineJson = value.GetRawText() }; // kept as sent, key order and spacing included
                        break;
                    case "name" or "version" or "templateName" or "templateType" or "messageChannel" or "pipelineJson":
                        return (null, 61100, null); // a documented field of the wrong type
                    default:
                        break; // unknown fields are ignored, as the service would
                }
            }
            if (current is null && next.Name.Length == 0)
            {
                return (null, 61102, "Missing param name");
            }

            return (next, 0, null);
        }

        /// <summary>The details answer's data: the configuration as a JSON object, as it was saved.</summary>
        public object ToDetails(string id)
        {
            using var document = JsonDocument.Parse(PipelineJson);
            return new
            {
                desc = Description,
                pipelineId = id,
                pipelineName = Name,
                version = Version,
                templateType = TemplateType,
                templateName = TemplateName,
                messageChannel = MessageChannel,
                pipelineJson = document.RootElement.Clone(),
            };
        }

        public static string TemplateNameOf(int templateType) => templateType switch
        {
            0 => "Time Window Aggregation Template",
            1 => "Origin Template",
            2 => "Multi-Merging Template",
            3 => "Electric Energy Calculation Template",
            4 => "Electric Energy Calculation Template (Meter Reading)",
            5 => "Electric Energy Calculation Template (Custom)",
            _ => "Custom Template",
        };
    }
}
