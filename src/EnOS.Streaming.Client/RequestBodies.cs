using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using EnOS.Streaming.Definitions;
using EnOS.Streaming.Model;

namespace EnOS.Streaming
{
    /// <summary>The JSON bodies of the calls that carry one, written as documented, on one line, with their fields in the order written here.</summary>
    internal static class RequestBodies
    {
        // A field not set is left out, not sent as null. The depth is Utf8JsonWriter's own: the
        // serializer's 64 would refuse a configuration the reader takes (64 deep, one more in the body).
        internal static readonly JsonSerializerOptions LeaveOutUnset = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 1000,
        };

        /// <summary>Start Pipeline's body: executionMode and kafkaRate (both mandatory), and resourceConfig when set.</summary>
        public static string Start(StartPipelineRequest request) => JsonSerializer.Serialize(
            new
            {
                executionMode = (int)request.ExecutionMode,
                kafkaRate = request.KafkaRate,
                // Serialized on its own, so that leaving out unset fields never reaches inside it.
                resourceConfig = request.ResourceConfig == null ? (JsonElement?)null : JsonSerializer.SerializeToElement(request.ResourceConfig),
            },
            LeaveOutUnset);

        /// <summary>Save Pipeline's body: the set fields in the documented order; ArgumentException when the configuration is not a JSON object.</summary>
        public static string Save(PipelineDefinition definition)
        {
            JsonElement? configuration;
            try
            {
                configuration = definition.PipelineJson == null ? null : PipelineConfiguration.Parse(definition.PipelineJson);
            }
            catch (FormatException exception)
            {
                throw new ArgumentException($"The definition's {exception.Message} Nothing was sent.", exception);
            }

            return JsonSerializer.Serialize(
                new
                {
                    version = definition.Version,
                    name = definition.Name,
                    templateType = definition.TemplateType,
                    templateName = definition.TemplateName,
                    messageChannel = definition.MessageChannel,
                    pipelineJson = configuration,
                },
                LeaveOutUnset);
        }
    }
}
