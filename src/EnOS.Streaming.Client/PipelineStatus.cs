namespace EnOS.Streaming
{
    /// <summary>The run state of a stream processing pipeline, as the List Pipelines API reports it.</summary>
    public enum PipelineStatus
    {
        /// <summary>A status this version of the module does not know; <see cref="Pipeline.StatusText"/> keeps the raw value.</summary>
        Unknown = 0,
        Published,
        Running,
        Paused,
        Stopped,

        /// <summary>The engine failed the run (FAILED): not documented on the list page, but listed, and worth selecting.</summary>
        Failed,
    }
}
