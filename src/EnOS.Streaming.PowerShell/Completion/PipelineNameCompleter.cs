namespace EnOS.Streaming.Completion
{
    /// <summary>Completes -Name with the pipeline names of the connected organisation.</summary>
    public sealed class PipelineNameCompleter() : PipelineCompleter(completesNames: true);
}
