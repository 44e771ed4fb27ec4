using System.Collections.Generic;

namespace EnOS.Streaming
{
    /// <summary>One page of List Pipelines: its items and the total the service reported, if any.</summary>
    internal sealed record PipelinePage(IReadOnlyList<Pipeline> Pipelines, int? TotalCount);
}
