using System;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Threading
{
    /// <summary>
    /// Routes the client layer's log to the cmdlet: Information becomes -Verbose, Debug becomes
    /// -Debug, Warning becomes a warning. Messages may come from any thread, so they are posted to
    /// the pump and written on the pipeline thread.
    /// </summary>
    internal sealed class CmdletLogger : ILogger
    {
        private readonly PipelineThreadPump _pump;
        private readonly Action<string> _verbose;
        private readonly Action<string> _debug;
        private readonly Action<string> _warning;
        private readonly bool _verboseEnabled;
        private readonly bool _debugEnabled;

        public CmdletLogger(PipelineThreadPump pump, Action<string> verbose, Action<string> debug, Action<string> warning, bool verboseEnabled, bool debugEnabled)
        {
            _pump = pump;
            _verbose = verbose;
            _debug = debug;
            _warning = warning;
            _verboseEnabled = verboseEnabled;
            _debugEnabled = debugEnabled;
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Warning
            || (logLevel == LogLevel.Information && _verboseEnabled)
            || (logLevel <= LogLevel.Debug && _debugEnabled);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var write = logLevel >= LogLevel.Warning ? _warning : logLevel == LogLevel.Information ? _verbose : _debug;
            _pump.Post(() => write(message));
        }
    }
}
