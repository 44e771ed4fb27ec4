using System;

namespace EnOS.Streaming.Starts
{
    /// <summary>
    /// The time one command's starts of one organisation may spend waiting for it together while it
    /// takes none of them (one -TimeoutSec from a 61121, counted afresh each time it takes one), so
    /// that 200 starts behind an organisation busy for ever end after that time, not each after its
    /// own in turn (42 minutes at the defaults), while a long queue that moves is never cut short.
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

        /// <summary>The organisation took a start (or the call was not one): the waiting so far is forgiven.</summary>
        public void Accepted()
        {
            lock (_lock)
            {
                _busySince = null;
            }
        }

        /// <summary>How long the organisation has kept these starts waiting without taking one; zero when it is not busy.</summary>
        public TimeSpan BusyFor(TimeSpan now)
        {
            lock (_lock)
            {
                return _busySince.HasValue ? now - _busySince.Value : TimeSpan.Zero;
            }
        }
    }
}
