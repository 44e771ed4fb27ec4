using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using EnOS.Streaming.Model;

namespace EnOS.Streaming.Json
{
    /// <summary>Maps the API's pipeline JSON to the model; unknown fields ignored, missing ones left empty.</summary>
    internal static class PipelineJson
    {
        // The documented samples show "2026-11-20 08:15:00"; the others, what a newer service might send.
        private static readonly string[] TimeFormats =
        {
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK",
        };

        /// <summary>One pipeline of a listing; <paramref name="systemIncluded"/> when it asked for system pipelines too (isSystem=true).</summary>
        public static Pipeline ReadListed(JsonElement item, string defaultOrgId, bool systemIncluded = false)
        {
            var statusText = JsonFields.String(item, "status");
            var updateTime = JsonFields.String(item, "updateTime");
            var mode = JsonFields.Int(item, "executionMode");
            return new Pipeline
            {
                PipelineId = JsonFields.String(item, "pipelineId") ?? string.Empty,
                Name = JsonFields.String(item, "pipelineName"),
                Status = PipelineStatusText.Parse(statusText),
                StatusText = statusText,
                OrgId = JsonFields.String(item, "orgId") ?? defaultOrgId,
                Version = JsonFields.String(item, "version"),
                TemplateType = JsonFields.Int(item, "templateType"),
                ExecutionMode = mode == 0 || mode == 1 ? (ExecutionMode)mode.Value : (ExecutionMode?)null,
                UpdateTime = ReadTime(updateTime),
                UpdateTimeText = updateTime,
                AlarmConfig = JsonFields.String(item, "alarmConfig"),
                // Without isSystem=true the service leaves system pipelines out.
                IsSystem = ReadFlag(JsonFields.String(item, "isSystem")) ?? (systemIncluded ? (bool?)null : false),
            };
        }

        /// <summary>The API's time text as UTC: zone-less text is taken as UTC, a number as Unix milliseconds.</summary>
        public static DateTime? ReadTime(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
            {
                return milliseconds > 0 && milliseconds < 253402300800000L
                    ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime
                    : (DateTime?)null;
            }

            return DateTime.TryParseExact(text!.Trim(), TimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : (DateTime?)null;
        }

        private static bool? ReadFlag(string? text) => text?.Trim().ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => null,
        };

        public static PipelinePage ReadPage(JsonElement data, string orgId, bool systemIncluded = false)
        {
            var pipelines = new List<Pipeline>();
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("pipelines", out var items)
                && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        pipelines.Add(ReadListed(item, orgId, systemIncluded));
                    }
                }
            }

            return new PipelinePage(pipelines, JsonFields.Int(data, "count"));
        }

        public static PipelineDefinition ReadDetails(JsonElement data, string pipelineId)
        {
            // Some versions document data as a one-element list.
            if (data.ValueKind == JsonValueKind.Array)
            {
                data = data.EnumerateArray().FirstOrDefault();
            }

            return new PipelineDefinition
            {
                PipelineId = JsonFields.String(data, "pipelineId") ?? pipelineId,
                Name = JsonFields.String(data, "pipelineName"),
                Description = JsonFields.String(data, "desc"),
                Version = JsonFields.String(data, "version"),
                TemplateType = JsonFields.Int(data, "templateType"),
                TemplateName = JsonFields.String(data, "templateName"),
                MessageChannel = JsonFields.Int(data, "messageChannel"),
                PipelineJson = JsonFields.String(data, "pipelineJson"),
            };
        }

        /// <summary>Get Pipeline Offset Lag's data: one entry per partition, numbered in the order sent.</summary>
        public static IReadOnlyList<PipelinePartitionLag> ReadLag(JsonElement data, string pipelineId)
        {
            var topic = JsonFields.String(data, "topicName");
            var partitions = new List<PipelinePartitionLag>();
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("lagAndOffset", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    partitions.Add(new PipelinePartitionLag
                    {
                        PipelineId = JsonFields.String(data, "pipelineId") ?? pipelineId,
                        TopicName = topic,
                        Partition = partitions.Count,
                        Lag = JsonFields.Long(item, "lag"),
                        Offset = JsonFields.Long(item, "offset"),
                        Ts = JsonFields.Long(item, "ts"),
                    });
                }
            }

            return partitions;
        }
    }
}
