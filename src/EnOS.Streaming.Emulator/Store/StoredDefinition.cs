using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>
    /// A pipeline's configuration, written as Get Pipeline Details answers it. Each pipeline keeps two:
    /// the saved design (what a save changes) and the released one (what a release copies the saved
    /// design to), so that a save, a details call and a release agree.
    /// </summary>
    public sealed record StoredDefinition(
        [property: JsonPropertyName("desc")] string Description,
        string PipelineId,
        [property: JsonPropertyName("pipelineName")] string Name,
        string Version, int TemplateType, string TemplateName, int MessageChannel, JsonElement PipelineJson)
    {
        /// <summary>What a seeded pipeline starts with, released as saved. Keys deliberately not in sorted order.</summary>
        public static StoredDefinition Seed(string id, string name, string version, int templateType) => new(
            "", id, name, version, templateType, TemplateNameOf(templateType), 0,
            JsonSerializer.Deserialize<JsonElement>(
                $$"""{"stages":[{"type":"input","topic":"stream_{{id}}"},{"type":"output","target":"tsdb"}],"alarm":{"mode":1},"kafkaRate":1000}"""));

        /// <summary>
        /// This definition with the fields of a Save Pipeline body applied (<paramref name="current"/>
        /// null: a new one), or the API's refusal when the body is not a valid configuration.
        /// </summary>
        public static (StoredDefinition? Definition, ApiResult? Refusal) Apply(StoredDefinition? current, string body)
        {
            if (JsonBody.TryRead<SaveBody>(body) is not { } save || save.Name?.Trim().Length == 0
                || save.MessageChannel is not (null or 0 or 1) || save.PipelineJson is { ValueKind: not JsonValueKind.Object })
            {
                return (null, ApiResult.InvalidJson); // not an object, or a documented field of the wrong type
            }

            if (current is null && save.Name is null)
            {
                return (null, ApiResult.Error(61102, "Missing param name"));
            }

            current ??= new StoredDefinition("", "null", "", "1.0", 1, TemplateNameOf(1), 0, JsonSerializer.Deserialize<JsonElement>("{}"));
            return (current with
            {
                Name = save.Name ?? current.Name,
                Version = save.Version ?? current.Version,
                TemplateType = save.TemplateType ?? current.TemplateType,
                TemplateName = save.TemplateName ?? current.TemplateName,
                MessageChannel = save.MessageChannel ?? current.MessageChannel,
                PipelineJson = save.PipelineJson ?? current.PipelineJson, // kept as sent, key order included
            }, null);
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

        /// <summary>Save Pipeline's body: every field optional; unknown fields are ignored, as the service would.</summary>
        private sealed record SaveBody(
            string? Name, string? Version, int? TemplateType, string? TemplateName, int? MessageChannel, JsonElement? PipelineJson);
    }
}
