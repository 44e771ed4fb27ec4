using System;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Logging
{
    /// <summary>Adapts an <see cref="IClientLog"/> to the ILogger the client uses inside.</summary>
    internal sealed class ClientLogger(IClientLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && log.IsEnabled(LevelOf(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Write(LevelOf(logLevel), formatter(state, exception));
            }
        }

        private static ClientLogLevel LevelOf(LogLevel level) =>
            level >= LogLevel.Warning ? ClientLogLevel.Warning
            : level == LogLevel.Information ? ClientLogLevel.Verbose
            : ClientLogLevel.Debug;
    }
}
