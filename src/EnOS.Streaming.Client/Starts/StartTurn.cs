using System;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;

namespace EnOS.Streaming.Starts
{
    /// <summary>A start's place in its <see cref="StartQueue.Lane"/>: whether a turn is due, the turn held, and since when.</summary>
    /// <param name="lane">The organisation's queue of this connection; null for a call that is not a start.</param>
    /// <param name="budget">The command's budget for the organisation's starts; null: this start's own.</param>
    internal sealed class StartTurn(StartQueue.Lane? lane, StartBudget? budget = null) : IDisposable
    {
        private readonly IDisposable? _presence = lane?.Enter();
        private IDisposable? _turn;
        private TimeSpan _reported;

        /// <summary>The time this start may wait for its organisation, shared with the command's other starts of it.</summary>
        public StartBudget Budget { get; } = budget ?? new StartBudget();

        public StartQueue.Lane? Lane { get; } = lane;

        /// <summary>The lane is engaged and this start has no turn yet.</summary>
        public bool Due => Lane != null && Lane.Engaged && _turn == null;

        /// <summary>This start holds its lane's turn: the others wait for it.</summary>
        public bool Held => _turn != null;

        /// <summary>When the turn was taken: the organisation's busy time counts from then.</summary>
        public TimeSpan BusySince { get; private set; }

        /// <summary>Waits for the turn (the budget's token ends the wait).</summary>
        public async Task TakeAsync(MonotonicClock clock, CancellationToken cancellationToken)
        {
            _turn = await Lane!.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
            BusySince = clock.Now;
            _reported = BusySince;
        }

        /// <summary>Whether <paramref name="every"/> has passed since the wait was last told (or the turn taken); if so, it is being told now.</summary>
        public bool ReportDue(TimeSpan now, TimeSpan every)
        {
            if (now - _reported < every)
            {
                return false;
            }

            _reported = now;
            return true;
        }

        /// <summary>Gives the turn back (once), for the next start of the organisation, and leaves the lane.</summary>
        public void Dispose()
        {
            _turn?.Dispose();
            _presence?.Dispose();
        }
    }

    /// <summary>One -TimeoutSec a command's starts of an organisation share while it takes none, so 200 starts behind one busy for ever do not wait 42 min.</summary>
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
