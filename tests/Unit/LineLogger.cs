using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Tests
{
    /// <summary>A logger that keeps the lines a user would see (Information and above), in order.</summary>
    internal sealed class LineLogger : ILogger
    {
        private readonly ConcurrentQueue<string> _lines;

        public LineLogger(ConcurrentQueue<string> lines) => _lines = lines;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
