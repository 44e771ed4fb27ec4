namespace EnOS.Streaming
{
    /// <summary>What Get Pipeline Details returns. It has no status: the API only lists that.</summary>
    public sealed class PipelineDetails
    {
        public string PipelineId { get; set; } = string.Empty;
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string? Version { get; set; }
        public int? TemplateType { get; set; }
        public string? TemplateName { get; set; }
        public int? MessageChannel { get; set; }
        public string? PipelineJson { get; set; }
    }
}
