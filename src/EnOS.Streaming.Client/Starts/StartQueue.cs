using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;

namespace EnOS.Streaming.Starts
{
    /// <summary>After a 61121 (one start per organisation at a time), this connection's starts there take turns until the lane is idle.</summary>
    internal sealed class StartQueue
    {
        private readonly ConcurrentDictionary<string, Lane> _lanes = new ConcurrentDictionary<string, Lane>(StringComparer.Ordinal);

        public Lane For(string orgId) => _lanes.GetOrAdd(orgId, id => new Lane(id));

        /// <summary>The starts of one organisation.</summary>
        [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
            "A SemaphoreSlim holds nothing to release unless its AvailableWaitHandle is used, which this class never does; disposing it could only break a waiter that races with the owner's end.")]
        internal sealed class Lane(string orgId)
        {
            private readonly SemaphoreSlim _turn = new SemaphoreSlim(1, 1);
            private readonly object _lock = new object();
            private int _engaged;
            private int _waiting;
            private int _users;

            public string OrgId { get; } = orgId;

            /// <summary>True once the organisation has answered 61121: from then on starts take turns.</summary>
            public bool Engaged => Volatile.Read(ref _engaged) == 1;

            /// <summary>Starts waiting for their turn.</summary>
            public int Waiting => Volatile.Read(ref _waiting);

            /// <summary>Returns true the first time (since the lane was last idle), so the change is told once.</summary>
            public bool Engage() => Interlocked.Exchange(ref _engaged, 1) == 0;

            /// <summary>A start enters the lane; dispose the result when it ends, however it ends.</summary>
            public IDisposable Enter()
            {
                lock (_lock)
                {
                    _users++;
                }

                return new ReleaseOnce(Leave);
            }

            private void Leave()
            {
                lock (_lock)
                {
                    if (--_users == 0)
                    {
                        // Idle: the next start goes straight out, and the queue's budget starts afresh.
                        Volatile.Write(ref _engaged, 0);
                    }
                }
            }

            public async Task<IDisposable> WaitTurnAsync(CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref _waiting);
                try
                {
                    await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }

                return new ReleaseOnce(() => _turn.Release());
            }
        }
    }
}
