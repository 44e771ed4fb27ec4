namespace EnOS.Streaming.Emulator.Admin
{
    /// <summary>
    /// One logged call. Headers are deliberately absent: the log is served to tests and must never
    /// hold an access token or a signature.
    /// </summary>
    public sealed record RequestLogEntry(
        string Method,
        string RawTarget,
        string Path,
        string? PipelineId,
        IReadOnlyDictionary<string, string> Query,
        string Body,
        int Code,
        DateTimeOffset Time);
}
