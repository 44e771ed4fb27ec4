using System;

namespace EnOS.Streaming.Threading
{
    /// <summary>
    /// Routes the client layer's log to the cmdlet: -Verbose, -Debug, warnings. Lines may come
    /// from any thread, so they are posted to the pump and written on the pipeline thread.
    /// </summary>
    internal sealed class CmdletLog : IClientLog
    {
        private readonly PipelineThreadPump _pump;
        private readonly Action<string> _verbose;
        private readonly Action<string> _debug;
        private readonly Action<string> _warning;
        private readonly bool _verboseEnabled;
        private readonly bool _debugEnabled;

        public CmdletLog(PipelineThreadPump pump, Action<string> verbose, Action<string> debug, Action<string> warning, bool verboseEnabled, bool debugEnabled)
        {
            _pump = pump;
            _verbose = verbose;
            _debug = debug;
            _warning = warning;
            _verboseEnabled = verboseEnabled;
            _debugEnabled = debugEnabled;
        }

        // Asked before a line is formatted, so that -Debug's HTTP trace costs nothing without -Debug.
        public bool IsEnabled(ClientLogLevel level) =>
            level == ClientLogLevel.Warning
            || (level == ClientLogLevel.Verbose && _verboseEnabled)
            || (level == ClientLogLevel.Debug && _debugEnabled);

        public void Write(ClientLogLevel level, string message)
        {
            var write = level == ClientLogLevel.Warning ? _warning : level == ClientLogLevel.Verbose ? _verbose : _debug;
            _pump.Post(() => write(message));
        }
    }
}
