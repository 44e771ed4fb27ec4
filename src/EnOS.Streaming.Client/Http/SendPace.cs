using System;
using System.Collections.Generic;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// How fast and how many calls at once a connection may send, as the gateway's answers show it, and how many are out.
    /// <list type="bullet">
    /// <item>A rate, off until a 429 sets it to 90 % of the rate accepted over the last second (a throttling gateway accepts
    /// exactly its limit: better than AWS's 70 % of the sent rate, it runs near the limit without oscillating); +5 % a second
    /// without a 429. RateLimit-* headers cap it (limit ÷ window) or hold calls until the reset, and lapse.</item>
    /// <item>A concurrency window (a gateway may limit calls in flight), halved on a 429 at most once a second as TCP does: it
    /// starts at <see cref="InitialConcurrency"/>, doubling per window of accepted answers until the first 429 (a first
    /// burst of 64 drew most 429s), then grows by one per window.</item>
    /// </list>
    /// Not thread-safe: <see cref="AdaptiveLimiter"/> uses it under its lock.
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
        private int _inFlight;
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

        public double Rate => _ceiling.HasValue ? (_rate > 0 ? Math.Min(_rate, _ceiling.Value) : _ceiling.Value) : _rate;

        public int Concurrency => (int)_concurrency;

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
            else if (_rate > 0 && now - _lastDecrease!.Value >= PacingEndsAfter)
            {
                _rate = 0; // demand stayed under the limit for long: stop pacing
            }
            else if (_rate > 0)
            {
                _rate += (now - _lastAdjust).TotalSeconds * Math.Max(1, IncreaseShare * _rateAtDecrease);
                _lastAdjust = now;
            }

            Apply(headers, now);
        }

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

        /// <summary>The wait the rate-limit headers impose on the next call, and the header; (zero, null) for none.</summary>
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
        public TimeSpan DelayBeforeNext(TimeSpan now)
        {
            Lapse(now);
            if (_inFlight >= (int)_concurrency)
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

        /// <summary>A call was let go at <paramref name="now"/>: it takes a slot, and the next one waits its interval.</summary>
        public void Sent(TimeSpan now)
        {
            _inFlight++;
            var rate = Rate;
            if (rate > 0)
            {
                // Evenly spaced, without a burst after a quiet spell.
                var from = _nextSend > now ? _nextSend : now;
                _nextSend = from + TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate));
            }
        }

        /// <summary>A call's answer is in (or it was abandoned): its slot is free.</summary>
        public void Finished() => _inFlight--;

        /// <summary>Within a second of a decrease: the burst's calls accepted after the first 429 show the limit better; never above the throttled rate.</summary>
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
                // Never below a 429's floor either: "1;w=3600" in one answer must not make the connection one call an hour.
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
