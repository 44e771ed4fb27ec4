namespace EnOS.Streaming.Completion
{
    /// <summary>Completes -PipelineId with the ids of the connected organisation, matching ids or names.</summary>
    public sealed class PipelineIdCompleter() : PipelineCompleter(completesNames: false);
}
