using System;
using System.Threading;

namespace EnOS.Streaming.Http
{
    /// <summary>Gives a turn or a slot back on the first Dispose only, however often it is disposed.</summary>
    internal sealed class ReleaseOnce(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
