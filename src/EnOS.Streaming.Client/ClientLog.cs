using System;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming
{
    /// <summary>How much a client log line matters to the person reading it.</summary>
    public enum ClientLogLevel
    {
        /// <summary>The HTTP exchange, redacted: for -Debug.</summary>
        Debug,

        /// <summary>The story of the operation: tokens, pages, retries. For -Verbose.</summary>
        Verbose,

        Warning,
    }

    /// <summary>
    /// Where a client writes its log. The client's public surface uses this rather than
    /// Microsoft.Extensions.Logging, so that callers (the cmdlets) need no reference to it and the
    /// module can keep its Microsoft.Extensions.* dependencies out of PowerShell's own load context.
    /// </summary>
    public interface IClientLog
    {
        bool IsEnabled(ClientLogLevel level);

        /// <summary>May be called from any thread.</summary>
        void Write(ClientLogLevel level, string message);
    }

    /// <summary>Adapts an <see cref="IClientLog"/> to the ILogger the client uses inside.</summary>
    internal sealed class ClientLogger : ILogger
    {
        private readonly IClientLog _log;

        public ClientLogger(IClientLog log) => _log = log;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && _log.IsEnabled(LevelOf(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _log.Write(LevelOf(logLevel), formatter(state, exception));
            }
        }

        private static ClientLogLevel LevelOf(LogLevel level) =>
            level >= LogLevel.Warning ? ClientLogLevel.Warning
            : level == LogLevel.Information ? ClientLogLevel.Verbose
            : ClientLogLevel.Debug;
    }
}
