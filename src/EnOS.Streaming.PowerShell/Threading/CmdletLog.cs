using System;
using EnOS.Streaming.Commands;

namespace EnOS.Streaming.Threading
{
    /// <summary>
    /// Routes the client layer's log to the cmdlet: -Verbose, -Debug, warnings. Lines may come
    /// from any thread, so they are posted to the pump and written on the pipeline thread.
    /// </summary>
    internal sealed class CmdletLog(EnosCmdlet cmdlet, bool verboseEnabled, bool debugEnabled) : IClientLog
    {
        // Taken now, on the pipeline thread the log is made on: the pump must not be made elsewhere.
        private readonly PipelineThreadPump _pump = cmdlet.Pump;

        // Asked before a line is formatted, so that -Debug's HTTP trace costs nothing without -Debug.
        public bool IsEnabled(ClientLogLevel level) =>
            level == ClientLogLevel.Warning
            || (level == ClientLogLevel.Verbose && verboseEnabled)
            || (level == ClientLogLevel.Debug && debugEnabled);

        public void Write(ClientLogLevel level, string message)
        {
            Action<string> write = level == ClientLogLevel.Warning ? cmdlet.WriteWarning : level == ClientLogLevel.Verbose ? cmdlet.WriteVerbose : cmdlet.WriteDebug;
            _pump.Post(() => write(message));
        }
    }
}
