namespace EnOS.Streaming
{
    /// <summary>The organisation's listing, read just now, does not have the pipeline, so the client sent nothing for it. Reported like the service's 61108.</summary>
    public sealed class PipelineNotListedException : EnosException
    {
        public PipelineNotListedException(string pipelineId, string orgId)
            : base($"Pipeline '{pipelineId}' is not in the listing of organisation '{orgId}'.", RequestOutcome.NotSent)
        {
            PipelineId = pipelineId;
            OrgId = orgId;
        }

        public string PipelineId { get; }
        public string OrgId { get; }
    }
}
