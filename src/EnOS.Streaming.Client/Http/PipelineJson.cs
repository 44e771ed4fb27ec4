using System.Collections.Generic;
using System.Text.Json;

namespace EnOS.Streaming.Http
{
    /// <summary>Maps the API's pipeline JSON to the model; unknown fields ignored, missing ones left empty.</summary>
    internal static class PipelineJson
    {
        public static Pipeline ReadListed(JsonElement item, string defaultOrgId)
        {
            var statusText = JsonFields.String(item, "status");
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
                UpdateTime = JsonFields.String(item, "updateTime"),
                AlarmConfig = JsonFields.String(item, "alarmConfig"),
            };
        }

        public static PipelinePage ReadPage(JsonElement data, string orgId)
        {
            var pipelines = new List<Pipeline>();
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("pipelines", out var items)
                && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        pipelines.Add(ReadListed(item, orgId));
                    }
                }
            }

            return new PipelinePage(pipelines, JsonFields.Int(data, "count"));
        }

        public static PipelineDetails ReadDetails(JsonElement data, string pipelineId)
        {
            // Some versions document data as a one-element list.
            if (data.ValueKind == JsonValueKind.Array)
            {
                foreach (var first in data.EnumerateArray())
                {
                    data = first;
                    break;
                }
            }

            return new PipelineDetails
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
    }

    /// <summary>One page of List Pipelines: its items and the total the service reported, if any.</summary>
    internal sealed class PipelinePage
    {
        public PipelinePage(IReadOnlyList<Pipeline> pipelines, int? totalCount)
        {
            Pipelines = pipelines;
            TotalCount = totalCount;
        }

        public IReadOnlyList<Pipeline> Pipelines { get; }
        public int? TotalCount { get; }
    }
}
