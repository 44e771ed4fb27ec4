using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Http
{
    /// <summary>A monotonic "now" and a delay, which tests replace to check the limiter's and the circuit's decisions exactly.</summary>
    internal class MonotonicClock
    {
        public static readonly MonotonicClock System = new MonotonicClock();

        private readonly Stopwatch _since = Stopwatch.StartNew();

        public virtual TimeSpan Now => _since.Elapsed;

        public virtual Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
            delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellationToken);
    }
}
