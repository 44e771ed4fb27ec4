using System;

namespace EnOS.Streaming.Session
{
    /// <summary>No connection could be found or made; the message says what to do.</summary>
    internal sealed class NotConnectedException(string message) : InvalidOperationException(message);
}
