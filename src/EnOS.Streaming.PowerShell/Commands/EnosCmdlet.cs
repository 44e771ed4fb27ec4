using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Session;
using EnOS.Streaming.Threading;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// What every EnOS cmdlet shares: the module's connection, a client that logs to -Verbose and
    /// -Debug, the pump that keeps writes on the pipeline thread, and cancellation on Ctrl+C.
    /// </summary>
    public abstract class EnosCmdlet : PSCmdlet, IDisposable
    {
        private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineThreadPump? _pump;
        private StreamingConnection? _connection;
        private StreamingClient? _client;
        private bool _disposed;

        internal PipelineThreadPump Pump => _pump ??= new PipelineThreadPump(_stopping.Token);

        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>The connection in use; resolved once per command, terminating if there is none.</summary>
        protected StreamingConnection Connection
        {
            get
            {
                if (_connection == null)
                {
                    try
                    {
                        _connection = ModuleSession.Resolve(out var source);
                        WriteVerbose($"Using {_connection} from {source}.");
                    }
                    catch (NotConnectedException exception)
                    {
                        ThrowTerminatingError(EnosErrorRecords.ForFailure(exception, "Not connected", null));
                    }
                }

                return _connection!;
            }
        }

        protected StreamingClient Client => _client ??= Connection.CreateClient(CreateLog());

        /// <summary>Waits for a task on the pipeline thread, writing its log lines as they come.</summary>
        protected T Await<T>(Task<T> task) => Pump.Run(task);

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            // Whether the command finished, was stopped or hit a terminating error: cancel what is
            // still running and let it unwind, so no request outlives the command.
            // The token source is not disposed: StopProcessing may still run on another thread.
            _stopping.Cancel();
            _pump?.AbandonOutstanding(StopGrace);
            OnDisposed();
        }

        /// <summary>Releases what a command holds beyond its requests (a journal file), once they are done.</summary>
        private protected virtual void OnDisposed()
        {
        }

        internal CmdletLog CreateLog() =>
            new CmdletLog(Pump, WriteVerbose, WriteDebug, WriteWarning, Wants("Verbose", "VerbosePreference"), Wants("Debug", "DebugPreference"));

        /// <summary>Terminates with a record built from an exception no further input can get past.</summary>
        protected void ThrowTerminating(Exception exception, string what, object? target) =>
            ThrowTerminatingError(EnosErrorRecords.ForFailure(exception, what, target));

        /// <summary>
        /// A common parameter as this command sees it: its value when given on the command line,
        /// otherwise the caller's preference variable ($VerbosePreference, $WhatIfPreference, ...).
        /// </summary>
        private protected object? BoundOrPreference(string parameter, string preferenceVariable) =>
            MyInvocation.BoundParameters.TryGetValue(parameter, out var bound) ? bound : GetVariableValue(preferenceVariable);

        private bool Wants(string switchName, string preferenceVariable)
        {
            var setting = BoundOrPreference(switchName, preferenceVariable);
            if (setting is SwitchParameter flag)
            {
                return flag.IsPresent;
            }

            try
            {
                var preference = LanguagePrimitives.ConvertTo<ActionPreference>(setting);
                return preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
            }
            catch (PSInvalidCastException)
            {
                return true;
            }
        }
    }
}
