namespace EnOS.Streaming
{
    /// <summary>How a pipeline runs: the API's executionMode 0 (standalone) or 1 (cluster).</summary>
    public enum ExecutionMode
    {
        Standalone = 0,
        Cluster = 1,
    }
}
