using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Http
{
    /// <summary>Paces a connection's calls in order as <see cref="SendPace"/> allows; a long wait the headers ask for is a RateLimited failure, not waited blind.</summary>
    internal sealed class AdaptiveLimiter(int maxConcurrency, MonotonicClock? clock = null)
    {
        /// <summary>The longest wait the headers may impose on a caller queued here; longer ones are told.</summary>
        internal static readonly TimeSpan LongestQueuedHold = TimeSpan.FromSeconds(5);

        private readonly object _lock = new object();
        private readonly MonotonicClock _clock = clock ?? MonotonicClock.System;
        private readonly LinkedList<Waiter> _waiting = new LinkedList<Waiter>();
        private readonly SendPace _pace = new SendPace(maxConcurrency);

        private bool _dispatching;
        private TaskCompletionSource<bool>? _wake;

        /// <summary>Calls per second currently allowed; 0 while not paced.</summary>
        public double Rate => Locked(() => _pace.Rate);

        public int Concurrency => Locked(() => _pace.Concurrency);

        public int Waiting => Locked(() => _waiting.Count);

        /// <summary>Waits for a turn to send one call; dispose the result when its answer is in.</summary>
        public Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
        {
            Waiter waiter;
            var startDispatcher = false;
            lock (_lock)
            {
                var now = _clock.Now;
                if (HeldFailure(now) is EnosTransportException held)
                {
                    return Task.FromException<IDisposable>(held);
                }

                if (_waiting.Count == 0 && _pace.DelayBeforeNext(now) == TimeSpan.Zero)
                {
                    _pace.Sent(now);
                    return Task.FromResult<IDisposable>(new ReleaseOnce(Release));
                }

                waiter = new Waiter();
                waiter.Node = _waiting.AddLast(waiter);
                if (!_dispatching)
                {
                    _dispatching = true;
                    startDispatcher = true;
                }
            }

            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.Register(() => Abandon(waiter, cancellationToken));
            }

            if (startDispatcher)
            {
                _ = DispatchAsync();
            }

            return waiter.Completion.Task;
        }

        /// <summary>Sends one call in its turn, held only on the wire (the token comes first, so no slot waits for a token request), and tells the pace the answer.</summary>
        public async Task<HttpAnswer> SendAsync(Func<Task<HttpAnswer>> send, CancellationToken cancellationToken)
        {
            using (await AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                var answer = await send().ConfigureAwait(false);
                if (ResponseClassifier.IsThrottling(answer.StatusCode))
                {
                    OnThrottled(answer.RateLimit);
                }
                else
                {
                    OnAccepted(answer.RateLimit);
                }

                return answer;
            }
        }

        /// <summary>An answer that was not a 429.</summary>
        public void OnAccepted(RateLimitHeaders? headers = null)
        {
            lock (_lock)
            {
                _pace.OnAccepted(_clock.Now, headers);
            }

            Wake();
        }

        /// <summary>A 429: the gateway wants fewer calls.</summary>
        public void OnThrottled(RateLimitHeaders? headers = null)
        {
            lock (_lock)
            {
                _pace.OnThrottled(_clock.Now, headers);
            }
        }

        private T Locked<T>(Func<T> read)
        {
            lock (_lock)
            {
                return read();
            }
        }

        /// <summary>The failure for a wait the rate-limit headers impose beyond <see cref="LongestQueuedHold"/>; null if none.</summary>
        private EnosTransportException? HeldFailure(TimeSpan now)
        {
            var (wait, header) = _pace.HeldByHeaders(now);
            if (wait <= LongestQueuedHold)
            {
                return null;
            }

            return new EnosTransportException(
                $"the gateway's rate-limit headers ({header}) ask to wait {Math.Ceiling(wait.TotalSeconds):0} s before the next call", null, null,
                TransportFailure.RateLimited, null, null)
            {
                RetryAfter = wait, // and not sent: see EnosTransportException.OutcomeOf
            };
        }

        private async Task DispatchAsync()
        {
            while (true)
            {
                TimeSpan wait;
                Task wake;
                lock (_lock)
                {
                    while (_waiting.Count > 0 && _pace.DelayBeforeNext(_clock.Now) == TimeSpan.Zero)
                    {
                        var waiter = _waiting.First!.Value;
                        _waiting.RemoveFirst();
                        waiter.Node = null;
                        _pace.Sent(_clock.Now);
                        if (!waiter.Completion.TrySetResult(new ReleaseOnce(Release)))
                        {
                            _pace.Finished(); // abandoned at the same moment
                        }

                        waiter.Registration.Dispose();
                    }

                    if (_waiting.Count > 0 && HeldFailure(_clock.Now) is EnosTransportException held)
                    {
                        // Headers that arrived while these callers queued: each is told, none waits blind.
                        foreach (var waiter in _waiting)
                        {
                            waiter.Node = null;
                            waiter.Completion.TrySetException(held);
                            waiter.Registration.Dispose();
                        }

                        _waiting.Clear();
                    }

                    if (_waiting.Count == 0)
                    {
                        _dispatching = false;
                        return;
                    }

                    wait = _pace.DelayBeforeNext(_clock.Now);
                    _wake = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    wake = _wake.Task;
                }

                if (wait == Timeout.InfiniteTimeSpan)
                {
                    await wake.ConfigureAwait(false);
                }
                else
                {
                    await Task.WhenAny(wake, _clock.Delay(wait, CancellationToken.None)).ConfigureAwait(false);
                }
            }
        }

        private void Abandon(Waiter waiter, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (waiter.Node != null)
                {
                    _waiting.Remove(waiter.Node);
                    waiter.Node = null;
                }
            }

            waiter.Completion.TrySetCanceled(cancellationToken);
        }

        private void Release()
        {
            lock (_lock)
            {
                _pace.Finished();
            }

            Wake();
        }

        private void Wake()
        {
            TaskCompletionSource<bool>? wake;
            lock (_lock)
            {
                wake = _wake;
                _wake = null;
            }

            wake?.TrySetResult(true);
        }

        private sealed class Waiter
        {
            public TaskCompletionSource<IDisposable> Completion { get; } =
                new TaskCompletionSource<IDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);

            public LinkedListNode<Waiter>? Node { get; set; }

            public CancellationTokenRegistration Registration { get; set; }
        }
    }
}
