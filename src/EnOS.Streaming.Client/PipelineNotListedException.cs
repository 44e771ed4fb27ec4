namespace EnOS.Streaming
{
    /// <summary>The organisation's listing, read just now, does not have the pipeline, so the client sent nothing for it. Reported like the service's 61108.</summary>
    public sealed class PipelineNotListedException(string pipelineId, string orgId)
        : EnosException($"Pipeline '{pipelineId}' is not in the listing of organisation '{orgId}'.", RequestOutcome.NotSent)
    {
        public string PipelineId { get; } = pipelineId;
        public string OrgId { get; } = orgId;
    }
}
