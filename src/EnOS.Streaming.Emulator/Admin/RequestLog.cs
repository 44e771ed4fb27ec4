namespace EnOS.Streaming.Emulator.Admin
{
    /// <summary>The last <see cref="Capacity"/> streaming and token calls, oldest first.</summary>
    public sealed class RequestLog
    {
        public const int Capacity = 10_000;

        /// <summary>The code logged for a call answered by an injected fault instead of the API.</summary>
        public const int FaultCode = -1;

        private readonly Queue<RequestLogEntry> _entries = new();
        private readonly Lock _lock = new();

        public void Add(RequestLogEntry entry)
        {
            lock (_lock)
            {
                if (_entries.Count == Capacity)
                {
                    _entries.Dequeue();
                }

                _entries.Enqueue(entry);
            }
        }

        public IReadOnlyList<RequestLogEntry> Snapshot()
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
    }
}
