using System;
using EnOS.Streaming.Commands;

namespace EnOS.Streaming.Threading
{
    /// <summary>
    /// Routes the client layer's log to the cmdlet: -Verbose, -Debug, warnings. Lines may come
    /// from any thread, so they are posted to the pump and written on the pipeline thread.
    /// </summary>
    internal sealed class CmdletLog : IClientLog
    {
        private readonly EnosCmdlet _cmdlet;
        private readonly PipelineThreadPump _pump;
        private readonly bool _verboseEnabled;
        private readonly bool _debugEnabled;

        /// <summary>Made on the pipeline thread, which the pump is taken from (it must not be made elsewhere).</summary>
        public CmdletLog(EnosCmdlet cmdlet, bool verboseEnabled, bool debugEnabled)
        {
            _cmdlet = cmdlet;
            _pump = cmdlet.Pump;
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
            Action<string> write = level == ClientLogLevel.Warning ? _cmdlet.WriteWarning : level == ClientLogLevel.Verbose ? _cmdlet.WriteVerbose : _cmdlet.WriteDebug;
            _pump.Post(() => write(message));
        }
    }
}
