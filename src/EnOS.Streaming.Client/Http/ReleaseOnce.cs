using System;
using System.Threading;

namespace EnOS.Streaming.Http
{
    /// <summary>Gives a turn or a slot back on the first Dispose only, however often it is disposed.</summary>
    internal sealed class ReleaseOnce : IDisposable
    {
        private Action? _release;

        public ReleaseOnce(Action release) => _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
