using System;
using System.Collections.Generic;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// How fast and how many calls at once a connection may send, as the gateway's answers show it.
    /// Two governors:
    /// <list type="bullet">
    /// <item>a send rate, off until the first 429. A 429 sets it just below the rate the gateway
    /// accepted over the last second (a throttling gateway accepts exactly its limit, so that is the
    /// best estimate there is), and every second without a 429 adds 5 % of that back (additive
    /// increase, multiplicative decrease). Where AWS's adaptive mode cuts to 70 % of the measured
    /// rate and probes back with a cubic curve, this cuts only to 90 % because the estimate is the
    /// accepted rate, not the sent one; it runs near the limit with a 429 every few seconds instead of
    /// oscillating between 70 % and 100 %. RateLimit-* headers, when present, cap the rate at once
    /// (limit ÷ window) and a "Remaining: 0" holds new calls until the reset. What one answer's
    /// headers set decays: an answer without them lifts it, and a policy lapses once its window
    /// has passed, so one odd answer cannot slow the connection for its whole life;</item>
    /// <item>a concurrency window, at most the connection's ceiling: halved on a 429 (at most once a
    /// second, as TCP does once per round trip), since a gateway may limit calls in flight rather
    /// than calls per second, and grown by one for each window's worth of accepted calls. It
    /// starts small, as TCP's slow start does: <see cref="InitialConcurrency"/> in flight, doubled
    /// each time a window's worth of answers has been accepted, until the ceiling or the first 429.
    /// Starting at the ceiling sent a first burst of 64 calls into a gateway that had not yet said
    /// its limit, and most of the 429s of a rate-limited bulk run were that burst. (Not one more per
    /// accepted answer, as TCP does: answers come back all at once here, and the calls that growth
    /// sends before the round's first 429 arrives would all be refused.)</item>
    /// </list>
    /// Not thread-safe: <see cref="AdaptiveLimiter"/>, which queues the callers, uses it under its lock.
    /// </summary>
    internal sealed class SendPace
    {
        internal const double DecreaseFactor = 0.9;
        internal const double IncreaseShare = 0.05;
        internal const double MinimumRate = 1;
        internal const int InitialConcurrency = 8;
        internal static readonly TimeSpan MeasureWindow = TimeSpan.FromSeconds(1);
        internal static readonly TimeSpan DecreaseHoldoff = TimeSpan.FromSeconds(1);
        internal static readonly TimeSpan PacingEndsAfter = TimeSpan.FromSeconds(30);

        private readonly int _maxConcurrency;
        private readonly Queue<TimeSpan> _accepted = new Queue<TimeSpan>();

        private double _concurrency;
        private bool _slowStart = true;    // until the first 429
        private int _acceptedThisRound;    // slow start: answers accepted since the window last doubled
        private double _rate;              // calls per second; 0 = not paced
        private double _rateAtDecrease;
        private double _rateBeforeDecrease;
        private double? _ceiling;          // from RateLimit headers, until _ceilingUntil
        private TimeSpan _ceilingUntil;
        private string? _ceilingHeader;
        private TimeSpan _nextSend;
        private TimeSpan _holdUntil;
        private string? _holdHeader;
        private TimeSpan? _lastDecrease;
        private TimeSpan _lastAdjust;

        public SendPace(int maxConcurrency)
        {
            _maxConcurrency = Math.Max(1, maxConcurrency);
            _concurrency = Math.Min(_maxConcurrency, InitialConcurrency);
        }

        /// <summary>Calls per second currently allowed; 0 while not paced.</summary>
        public double Rate => _ceiling.HasValue ? (_rate > 0 ? Math.Min(_rate, _ceiling.Value) : _ceiling.Value) : _rate;

        /// <summary>Calls currently allowed in flight.</summary>
        public int Concurrency => (int)_concurrency;

        /// <summary>An answer that was not a 429.</summary>
        public void OnAccepted(TimeSpan now, RateLimitHeaders? headers)
        {
            _accepted.Enqueue(now);
            Prune(now);
            if (!_slowStart)
            {
                _concurrency = Math.Min(_maxConcurrency, _concurrency + (1 / _concurrency));
            }
            else if (++_acceptedThisRound >= (int)_concurrency)
            {
                _concurrency = Math.Min(_maxConcurrency, _concurrency * 2);
                _acceptedThisRound = 0;
            }

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

        /// <summary>A 429: the gateway wants fewer calls.</summary>
        public void OnThrottled(TimeSpan now, RateLimitHeaders? headers)
        {
            Prune(now);
            _slowStart = false;
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

        /// <summary>
        /// The wait the rate-limit headers impose on the next call, and the header that asked for
        /// it; (zero, null) when they impose none.
        /// </summary>
        public (TimeSpan Wait, string? Header) HeldByHeaders(TimeSpan now)
        {
            Lapse(now);
            var hold = _holdUntil > now ? _holdUntil - now : TimeSpan.Zero;
            var paced = _ceiling.HasValue && _nextSend > now && Rate >= _ceiling.Value ? _nextSend - now : TimeSpan.Zero;
            if (hold >= paced)
            {
                return hold > TimeSpan.Zero ? (hold, _holdHeader) : (TimeSpan.Zero, null);
            }

            return (paced, _ceilingHeader);
        }

        /// <summary>Zero when a call may go now; Infinite when only a finishing call can free a slot.</summary>
        public TimeSpan DelayBeforeNext(TimeSpan now, int inFlight)
        {
            Lapse(now);
            if (inFlight >= (int)_concurrency)
            {
                return System.Threading.Timeout.InfiniteTimeSpan;
            }

            var earliest = _holdUntil;
            if (Rate > 0 && _nextSend > earliest)
            {
                earliest = _nextSend;
            }

            return earliest > now ? earliest - now : TimeSpan.Zero;
        }

        /// <summary>A call was let go at <paramref name="now"/>: the next one waits its interval.</summary>
        public void Sent(TimeSpan now)
        {
            var rate = Rate;
            if (rate > 0)
            {
                // Evenly spaced, without a burst after a quiet spell.
                var from = _nextSend > now ? _nextSend : now;
                _nextSend = from + TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate));
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

        private void Apply(RateLimitHeaders? headers, TimeSpan now)
        {
            if (headers?.AllowedRate is double allowed && allowed > 0)
            {
                // Never below the pace a 429 may set either: "1;w=3600" from one answer must not
                // make the connection one call an hour; the gateway's 429s say if it means it.
                _ceiling = Math.Max(MinimumRate, allowed);
                _ceilingUntil = now + headers.Window!.Value;
                _ceilingHeader = headers.PolicyText;
            }
            else
            {
                // An answer that states no policy lifts the one an earlier answer stated.
                Lift(now);
            }

            if (headers?.Remaining == 0 && headers.Reset is TimeSpan reset && reset > TimeSpan.Zero)
            {
                // The quota is spent: nothing sent before the reset can succeed.
                var until = now + reset;
                if (until > _holdUntil)
                {
                    _holdUntil = until;
                    _holdHeader = headers.ResetText;
                }
            }
            else if (headers == null)
            {
                // An answer without rate-limit headers lifts a hold an earlier one imposed.
                _holdUntil = TimeSpan.Zero;
            }
        }

        /// <summary>A policy whose window has passed no longer caps the rate.</summary>
        private void Lapse(TimeSpan now)
        {
            if (_ceiling.HasValue && now >= _ceilingUntil)
            {
                Lift(now);
            }
        }

        private void Lift(TimeSpan now)
        {
            if (_ceiling.HasValue && _nextSend > now)
            {
                _nextSend = now; // the spacing the policy set goes with it
            }

            _ceiling = null;
        }

        private void Prune(TimeSpan now)
        {
            while (_accepted.Count > 0 && now - _accepted.Peek() > MeasureWindow)
            {
                _accepted.Dequeue();
            }
        }
    }
}
