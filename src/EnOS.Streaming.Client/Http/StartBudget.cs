using System;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// The time one command's starts of one organisation may spend waiting for it together (one
    /// -TimeoutSec from its first 61121), so that 200 starts behind an organisation busy for ever
    /// end after that time, not each after its own in turn (42 minutes at the defaults).
    /// A <see cref="StreamingClient"/> (one per command) keeps one per organisation.
    /// </summary>
    internal sealed class StartBudget
    {
        private readonly object _lock = new object();
        private TimeSpan? _busySince;

        /// <summary>The organisation answered 61121: the budget is spent from the first time on.</summary>
        public void Busy(TimeSpan now)
        {
            lock (_lock)
            {
                _busySince ??= now;
            }
        }

        /// <summary>How long the organisation has kept these starts waiting; zero before its first 61121.</summary>
        public TimeSpan BusyFor(TimeSpan now)
        {
            lock (_lock)
            {
                return _busySince.HasValue ? now - _busySince.Value : TimeSpan.Zero;
            }
        }
    }
}
