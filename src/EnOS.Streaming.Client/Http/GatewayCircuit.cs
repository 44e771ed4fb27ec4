using System;

namespace EnOS.Streaming.Http
{
    /// <summary>After <see cref="Threshold"/> calls in a row that reached nothing, calls fail "not attempted" until a probe after <see cref="Cooldown"/>.</summary>
    internal sealed class GatewayCircuit(MonotonicClock? clock = null)
    {
        internal const int Threshold = 5;
        internal static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(5);

        private readonly object _lock = new object();
        private readonly MonotonicClock _clock = clock ?? MonotonicClock.System;
        private int _consecutive;
        private TimeSpan _openedAt;
        private bool _probing;
        private TimeSpan _probeSince;
        private EnosTransportException? _cause;

        public bool IsOpen
        {
            get
            {
                lock (_lock)
                {
                    return _consecutive >= Threshold && _clock.Now - _openedAt < Cooldown;
                }
            }
        }

        /// <summary>The failure kinds that mean nothing answered at that address.</summary>
        public static bool MeansUnreachable(TransportFailure failure) =>
            failure == TransportFailure.ConnectionRefused
            || failure == TransportFailure.NameNotResolved
            || failure == TransportFailure.TlsHandshake;

        /// <summary>Fails "not attempted" while open; after the cooldown the first caller that <paramref name="sends"/> is the probe.</summary>
        public void ThrowIfOpen(bool sends = true)
        {
            EnosTransportException? cause;
            lock (_lock)
            {
                var now = _clock.Now;
                if (_consecutive < Threshold)
                {
                    return;
                }

                // A probe that neither answered nor failed (a timeout, a cancellation) lapses after a cooldown.
                var probeOut = _probing && now - _probeSince < Cooldown;
                if (now - _openedAt >= Cooldown && !probeOut)
                {
                    if (sends)
                    {
                        _probing = true;
                        _probeSince = now;
                    }

                    return;
                }

                cause = _cause;
            }

            throw new EnosTransportException(
                $"not sent, because moments ago {cause!.Reason}", null, null,
                cause.Failure, null, null, cause)
            {
                RetriesExhausted = true,
                Outcome = RequestOutcome.NotSent,
                UnreachedGateway = cause.UnreachedGateway,
            };
        }

        public void OnFailure(EnosTransportException failure)
        {
            if (!MeansUnreachable(failure.Failure))
            {
                return;
            }

            lock (_lock)
            {
                _consecutive++;
                if (_consecutive >= Threshold)
                {
                    // (Re)opens: also after the probe failed.
                    _openedAt = _clock.Now;
                    _cause = failure;
                    _probing = false;
                }
            }
        }

        public void OnAnswer()
        {
            lock (_lock)
            {
                _consecutive = 0;
                _cause = null;
                _probing = false;
            }
        }
    }
}
