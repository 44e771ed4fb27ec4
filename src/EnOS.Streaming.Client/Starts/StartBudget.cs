using System;

namespace EnOS.Streaming.Starts
{
    /// <summary>
    /// One -TimeoutSec a command's starts of one organisation share while it takes none (afresh when it
    /// takes one): 200 starts behind one busy for ever end after it, not 42 minutes; a moving queue never.
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
