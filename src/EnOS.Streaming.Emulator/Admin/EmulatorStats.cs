namespace EnOS.Streaming.Emulator.Admin
{
    /// <summary>Counters served by GET /_emulator/stats. Lock-free: they are hit by every request.</summary>
    public sealed class EmulatorStats
    {
        private long _requests;
        private long _inFlight;
        private long _peakInFlight;
        private long _tokensIssued;

        public void CountRequest() => Interlocked.Increment(ref _requests);

        public void CountTokenIssued() => Interlocked.Increment(ref _tokensIssued);

        public void EnterStreaming()
        {
            // Raises the peak to this count, unless another call raised it further first.
            var now = Interlocked.Increment(ref _inFlight);
            for (var peak = Volatile.Read(ref _peakInFlight); now > peak; peak = Volatile.Read(ref _peakInFlight))
            {
                Interlocked.CompareExchange(ref _peakInFlight, now, peak);
            }
        }

        public void ExitStreaming() => Interlocked.Decrement(ref _inFlight);

        /// <summary>
        /// Zeroes the counters. In-flight is a live gauge, not a counter, so it is kept and the peak
        /// restarts from it (zeroing it would let it go negative when those requests finish).
        /// </summary>
        public void Reset()
        {
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _tokensIssued, 0);
            Interlocked.Exchange(ref _peakInFlight, Volatile.Read(ref _inFlight));
        }

        public object Snapshot() => new
        {
            requests = Volatile.Read(ref _requests),
            inFlight = Volatile.Read(ref _inFlight),
            peakInFlight = Volatile.Read(ref _peakInFlight),
            tokensIssued = Volatile.Read(ref _tokensIssued),
        };
    }
}
