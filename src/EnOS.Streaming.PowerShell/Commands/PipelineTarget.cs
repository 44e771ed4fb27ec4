namespace EnOS.Streaming.Commands
{
    /// <summary>One pipeline to act on: its id and org, and the object when one was piped.</summary>
    public sealed class PipelineTarget
    {
        internal PipelineTarget(string pipelineId, string orgId, Pipeline? known)
        {
            PipelineId = pipelineId;
            OrgId = orgId;
            Known = known;
        }

        public string PipelineId { get; }
        public string OrgId { get; }
        public Pipeline? Known { get; }
        public string? Name => Known?.Name;

        /// <summary>How prompts and messages name it: "pipeline 'wind-line-3' (pl-0003)".</summary>
        public string Description => Pipeline.Describe(PipelineId, Name);
    }
}
