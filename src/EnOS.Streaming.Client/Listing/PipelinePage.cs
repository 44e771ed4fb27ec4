using System.Collections.Generic;

namespace EnOS.Streaming
{
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
