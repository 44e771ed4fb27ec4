using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// Paces the API calls of one connection (every command that uses it) to what the gateway
    /// accepts. Two governors, both adjusted by the gateway's answers:
    /// <list type="bullet">
    /// <item>a send rate, off until the first 429. A 429 sets it just below the rate the gateway
    /// accepted over the last second (a throttling gateway accepts exactly its limit, so that is the
    /// best estimate there is), and every second without a 429 adds 5 % of that back (additive
    /// increase, multiplicative decrease). Where AWS's adaptive mode cuts to 70 % of the measured
    /// rate and probes back with a cubic curve, this cuts only to 90 % because the estimate is the
    /// accepted rate, not the sent one; it runs near the limit with a 429 every few seconds instead of
    /// oscillating between 70 % and 100 %. RateLimit-* headers, when present, cap the rate at once
    /// (limit ÷ window) and a "Remaining: 0" holds new calls until the reset;</item>
    /// <item>a concurrency window, at most the connection's ceiling: halved on a 429 (at most once a
    /// second, as TCP does once per round trip), since a gateway may limit calls in flight rather
    /// than calls per second, and grown by one for each window's worth of accepted calls.</item>
    /// </list>
    /// Waiting here spends the caller's time budget, never its retries. Callers are served in order.
    /// </summary>
    internal sealed class AdaptiveLimiter
    {
        internal const double DecreaseFactor = 0.9;
        internal const double IncreaseShare = 0.05;
        internal const double MinimumRate = 1;
        internal static readonly TimeSpan MeasureWindow = TimeSpan.FromSeconds(1);
        internal static readonly TimeSpan DecreaseHoldoff = TimeSpan.FromSeconds(1);
        internal static readonly TimeSpan PacingEndsAfter = TimeSpan.FromSeconds(30);

        private readonly object _lock = new object();
        private readonly MonotonicClock _clock;
        private readonly int _maxConcurrency;
        private readonly LinkedList<Waiter> _waiting = new LinkedList<Waiter>();
        private readonly Queue<TimeSpan> _accepted = new Queue<TimeSpan>();

        private int _inFlight;
        private double _concurrency;
        private double _rate;              // calls per second; 0 = not paced
        private double _rateAtDecrease;
        private double _rateBeforeDecrease;
        private double? _ceiling;          // from RateLimit headers
        private TimeSpan _nextSend;
        private TimeSpan _holdUntil;
        private TimeSpan? _lastDecrease;
        private TimeSpan _lastAdjust;
        private bool _dispatching;
        private TaskCompletionSource<bool>? _wake;

        public AdaptiveLimiter(int maxConcurrency, MonotonicClock? clock = null)
        {
            _maxConcurrency = Math.Max(1, maxConcurrency);
            _concurrency = _maxConcurrency;
            _clock = clock ?? MonotonicClock.System;
        }

        /// <summary>Calls per second currently allowed; 0 while not paced.</summary>
        public double Rate
        {
            get
            {
                lock (_lock)
                {
                    return EffectiveRate;
                }
            }
        }

        /// <summary>Calls currently allowed in flight.</summary>
        public int Concurrency
        {
            get
            {
                lock (_lock)
                {
                    return (int)_concurrency;
                }
            }
        }

        public int Waiting
        {
            get
            {
                lock (_lock)
                {
                    return _waiting.Count;
                }
            }
        }

        /// <summary>Waits for a turn to send one call; dispose the result when its answer is in.</summary>
        public Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
        {
            Waiter waiter;
            var startDispatcher = false;
            lock (_lock)
            {
                var now = _clock.Now;
                if (_waiting.Count == 0 && DelayBeforeNext(now) == TimeSpan.Zero)
                {
                    Grant(now);
                    return Task.FromResult<IDisposable>(new Lease(this));
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

        /// <summary>An answer that was not a 429.</summary>
        public void OnAccepted(RateLimitHeaders? headers = null)
        {
            lock (_lock)
            {
                var now = _clock.Now;
                _accepted.Enqueue(now);
                Prune(now);
                _concurrency = Math.Min(_maxConcurrency, _concurrency + (1 / _concurrency));
                if (_rate > 0 && now - _lastDecrease!.Value < DecreaseHoldoff)
                {
                    RefineEstimate(now);
                }
                else if (_rate > 0)
                {
                    if (_lastDecrease == null || now - _lastDecrease.Value >= PacingEndsAfter)
                    {
                        _rate = 0; // demand stayed under the limit for long: stop pacing
                    }
                    else
                    {
                        var seconds = (now - _lastAdjust).TotalSeconds;
                        _rate += seconds * Math.Max(1, IncreaseShare * _rateAtDecrease);
                        _lastAdjust = now;
                    }
                }

                Apply(headers, now);
            }

            Wake();
        }

        /// <summary>A 429: the gateway wants fewer calls.</summary>
        public void OnThrottled(RateLimitHeaders? headers = null)
        {
            lock (_lock)
            {
                var now = _clock.Now;
                Prune(now);
                var acceptedRate = _accepted.Count / MeasureWindow.TotalSeconds;
                if (_lastDecrease == null || now - _lastDecrease.Value >= DecreaseHoldoff)
                {
                    // The 429s of one burst are one signal, not many.
                    _rateBeforeDecrease = _rate > 0 ? _rate : double.PositiveInfinity;
                    var basis = _rate > 0 ? Math.Min(_rate, Math.Max(acceptedRate, _rate / 2)) : acceptedRate;
                    _rate = Math.Max(MinimumRate, basis * DecreaseFactor);
                    _rateAtDecrease = _rate;
                    _concurrency = Math.Max(1, _concurrency / 2);
                    _lastDecrease = now;
                    _lastAdjust = now;
                    _nextSend = now + TimeSpan.FromSeconds(1 / _rate);
                }
                else
                {
                    RefineEstimate(now);
                }

                Apply(headers, now);
            }
        }

        /// <summary>
        /// Within a second of a decrease: the calls of the burst that were accepted but answered
        /// after the first 429 (a gateway refuses faster than it serves) show the limit better than
        /// what had arrived by then, so the estimate may rise to them, never above the rate that was
        /// throttled.
        /// </summary>
        private void RefineEstimate(TimeSpan now)
        {
            var estimate = _accepted.Count / MeasureWindow.TotalSeconds * DecreaseFactor;
            if (estimate > _rate && estimate <= _rateBeforeDecrease)
            {
                _rate = estimate;
                _rateAtDecrease = estimate;
                _lastAdjust = now;
            }
        }

        private double EffectiveRate => _ceiling.HasValue ? (_rate > 0 ? Math.Min(_rate, _ceiling.Value) : _ceiling.Value) : _rate;

        private void Apply(RateLimitHeaders? headers, TimeSpan now)
        {
            if (headers == null)
            {
                return;
            }

            if (headers.AllowedRate is double allowed && allowed > 0)
            {
                _ceiling = allowed;
            }

            if (headers.Remaining == 0 && headers.Reset is TimeSpan reset && reset > TimeSpan.Zero)
            {
                // The quota is spent: nothing sent before the reset can succeed.
                var until = now + reset;
                if (until > _holdUntil)
                {
                    _holdUntil = until;
                }
            }
        }

        /// <summary>Zero when a call may go now; Infinite when only a finishing call can free a slot.</summary>
        private TimeSpan DelayBeforeNext(TimeSpan now)
        {
            if (_inFlight >= (int)_concurrency)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var earliest = _holdUntil;
            if (EffectiveRate > 0 && _nextSend > earliest)
            {
                earliest = _nextSend;
            }

            return earliest > now ? earliest - now : TimeSpan.Zero;
        }

        private void Grant(TimeSpan now)
        {
            _inFlight++;
            var rate = EffectiveRate;
            if (rate > 0)
            {
                // Evenly spaced, without a burst after a quiet spell.
                var from = _nextSend > now ? _nextSend : now;
                _nextSend = from + TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate));
            }
        }

        private void Prune(TimeSpan now)
        {
            while (_accepted.Count > 0 && now - _accepted.Peek() > MeasureWindow)
            {
                _accepted.Dequeue();
            }
        }

        private async Task DispatchAsync()
        {
            while (true)
            {
                TimeSpan wait;
                Task wake;
                lock (_lock)
                {
                    while (_waiting.Count > 0 && DelayBeforeNext(_clock.Now) == TimeSpan.Zero)
                    {
                        var waiter = _waiting.First!.Value;
                        _waiting.RemoveFirst();
                        waiter.Node = null;
                        Grant(_clock.Now);
                        if (!waiter.Completion.TrySetResult(new Lease(this)))
                        {
                            _inFlight--; // abandoned at the same moment
                        }

                        waiter.Registration.Dispose();
                    }

                    if (_waiting.Count == 0)
                    {
                        _dispatching = false;
                        return;
                    }

                    wait = DelayBeforeNext(_clock.Now);
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
                _inFlight--;
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

        private sealed class Lease : IDisposable
        {
            private AdaptiveLimiter? _owner;

            public Lease(AdaptiveLimiter owner) => _owner = owner;

            public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
        }
    }
}
