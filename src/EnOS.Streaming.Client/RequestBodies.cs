using System;
using System.Text.Json;
using EnOS.Streaming.Definitions;
using EnOS.Streaming.Model;

namespace EnOS.Streaming
{
    /// <summary>The JSON bodies of the calls that carry one, written as documented, on one line.</summary>
    internal static class RequestBodies
    {
        /// <summary>Start Pipeline's body: executionMode and kafkaRate (both mandatory), and resourceConfig when set.</summary>
        public static string Start(StartPipelineRequest request) => JsonWriting.ToText(default, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("executionMode", (int)request.ExecutionMode);
            json.WriteNumber("kafkaRate", request.KafkaRate);
            if (request.ResourceConfig != null)
            {
                json.WritePropertyName("resourceConfig");
                JsonSerializer.Serialize(json, request.ResourceConfig);
            }

            json.WriteEndObject();
        });

        /// <summary>Save Pipeline's body: the set fields in the documented order; ArgumentException when the configuration is not a JSON object.</summary>
        public static string Save(PipelineDefinition definition) => JsonWriting.ToText(default, json =>
        {
            json.WriteStartObject();
            json.WriteIfSet("version", definition.Version);
            json.WriteIfSet("name", definition.Name);
            json.WriteIfSet("templateType", definition.TemplateType);
            json.WriteIfSet("templateName", definition.TemplateName);
            json.WriteIfSet("messageChannel", definition.MessageChannel);
            if (definition.PipelineJson != null)
            {
                json.WritePropertyName("pipelineJson");
                try
                {
                    PipelineConfiguration.Parse(definition.PipelineJson).WriteTo(json);
                }
                catch (FormatException exception)
                {
                    throw new ArgumentException($"The definition's {exception.Message} Nothing was sent.", exception);
                }
            }

            json.WriteEndObject();
        });
    }
}
