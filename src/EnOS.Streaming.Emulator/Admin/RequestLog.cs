namespace EnOS.Streaming.Emulator.Admin
{
    /// <summary>The last <see cref="Capacity"/> streaming and token calls, oldest first.</summary>
    public sealed class RequestLog(TimeProvider clock)
    {
        public const int Capacity = 10_000;

        /// <summary>The code logged for a call answered by an injected fault instead of the API.</summary>
        public const int FaultCode = -1;

        private readonly Queue<Entry> _entries = new();
        private readonly Lock _lock = new();

        public void Add(HttpContext context, RequestTarget target, string? pipelineId, string body, int code)
        {
            var entry = new Entry(
                context.Request.Method, target.Raw, target.DecodedPath, pipelineId, target.QueryByName, body, code, clock.GetUtcNow());
            lock (_lock)
            {
                if (_entries.Count == Capacity)
                {
                    _entries.Dequeue();
                }

                _entries.Enqueue(entry);
            }
        }

        public IReadOnlyList<Entry> Snapshot()
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _entries.Clear();
            }
        }

        /// <summary>
        /// One logged call. Headers are deliberately absent: the log is served to tests and must never
        /// hold an access token or a signature.
        /// </summary>
        public sealed record Entry(
            string Method, string RawTarget, string Path, string? PipelineId, IReadOnlyDictionary<string, string> Query, string Body, int Code,
            DateTimeOffset Time);
    }
}
