using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Session;
using EnOS.Streaming.Threading;

namespace EnOS.Streaming.Commands
{
    /// <summary>What every EnOS cmdlet shares: the connection, a client logging to -Verbose and -Debug, the pump, Ctrl+C.</summary>
    public abstract class EnosCmdlet : PSCmdlet, IDisposable
    {
        private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineThreadPump? _pump;
        private StreamingConnection.Lease? _lease;
        private StreamingClient? _client;
        private PipelineDirectory? _directory;
        private bool _disposed;

        internal PipelineThreadPump Pump => _pump ??= new PipelineThreadPump(_stopping.Token);

        protected internal CancellationToken StopToken => _stopping.Token;

        /// <summary>The connection, resolved once and leased, so that a Connect or Disconnect meanwhile never closes it under the command.</summary>
        private protected StreamingConnection Connection
        {
            get
            {
                if (_lease == null)
                {
                    try
                    {
                        _lease = ModuleSession.Resolve(out var source);
                        WriteVerbose($"Using {_lease.Connection} from {source}.");
                    }
                    catch (NotConnectedException exception)
                    {
                        ThrowTerminatingError(EnosErrorRecords.ForFailure(exception, "Not connected", null));
                    }
                }

                return _lease!.Connection;
            }
        }

        /// <summary>How long a request may take: how long a stopped command waits for the requests it sent.</summary>
        internal TimeSpan Timeout => Connection.Options.Timeout;

        private protected StreamingClient Client => _client ??= Connection.CreateClient(CreateLog());

        /// <summary>The command's one snapshot of the pipelines, listed at most once per organisation.</summary>
        private protected PipelineDirectory SharedDirectory(StreamingClient client) =>
            LazyInitializer.EnsureInitialized(ref _directory, () => new PipelineDirectory(client))!;

        /// <summary>A read that is only a courtesy (a name, a second opinion): null when it fails, so the command's own answer stands.</summary>
        private protected static async Task<T?> CourtesyAsync<T>(Func<Task<T?>> read)
            where T : class
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (EnosException)
            {
                return null;
            }
        }

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
            // Stopping: Ctrl+C, also when StopProcessing has not reached this command yet.
            OnEnding(stoppedByUser: _stopping.IsCancellationRequested || Stopping);
            // However the command ended, no request outlives it. The token source is not disposed:
            // StopProcessing may still run on another thread.
            _stopping.Cancel();
            _pump?.AbandonOutstanding(StopGrace);
            OnDisposed();
            _lease?.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// First in Dispose, before what runs is cancelled: a command ended without its EndProcessing
        /// (Ctrl+C during another command, an error elsewhere in the pipeline) says what it has not reported.
        /// </summary>
        private protected virtual void OnEnding(bool stoppedByUser)
        {
        }

        /// <summary>Releases what a command holds beyond its requests (a journal file), once they are done.</summary>
        private protected virtual void OnDisposed()
        {
        }

        /// <summary>
        /// Writes a verbose line when -Verbose or $VerbosePreference asks, never with a prompt: -Debug
        /// alone sets a compiled cmdlet's verbose preference to Inquire, so every line would ask
        /// "Continue?" (and fail under -NonInteractive), while -Debug here means "show the HTTP exchange".
        /// </summary>
        protected internal new void WriteVerbose(string text)
        {
            if (!Wants("Verbose", "VerbosePreference"))
            {
                return;
            }

            if (DebugWouldInquire("Verbose"))
            {
                base.WriteDebug("VERBOSE: " + text);
                return;
            }

            base.WriteVerbose(text);
        }

        /// <summary>Writes a warning; to the debug stream where -Debug would make it prompt (see <see cref="WriteVerbose"/>).</summary>
        protected internal new void WriteWarning(string text)
        {
            if (DebugWouldInquire("WarningAction"))
            {
                if (Wants("WarningAction", "WarningPreference"))
                {
                    base.WriteDebug("WARNING: " + text);
                }

                return;
            }

            base.WriteWarning(text);
        }

        /// <summary>What ended the command early, as the start of a warning: Ctrl+C, or a later command that took enough.</summary>
        internal static string StopCause(bool userStop) =>
            userStop ? "The command was stopped" : "A later command in the pipeline stopped taking output";

        /// <summary>Warns after a stop, through the host's UI when the stopped pipeline refuses writes.</summary>
        internal void WarnAfterStop(string message)
        {
            try
            {
                WriteWarning(message);
                return;
            }
            catch (Exception exception) when (exception is PipelineStoppedException || exception is InvalidOperationException)
            {
                // The pipeline refuses writes now (stopped, or the command is being disposed); try the host.
            }

            try
            {
                Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception exception) when (exception is NotImplementedException || exception is PipelineStoppedException || exception is InvalidOperationException)
            {
                // A host without a UI: nothing further can reach the user.
            }
        }

        /// <summary>
        /// Asks the host for one value as PowerShell asks for a mandatory parameter, under its caption
        /// when <paramref name="first"/>; null when no answer came.
        /// </summary>
        private protected object? Ask(System.Management.Automation.Host.PSHostUserInterface ui, string name, Type? type = null, bool first = true)
        {
            var field = new System.Management.Automation.Host.FieldDescription(name) { IsMandatory = true };
            if (type != null)
            {
                field.SetParameterType(type);
            }

            var answers = ui.Prompt(first ? $"cmdlet {MyInvocation.MyCommand.Name} at command pipeline position {MyInvocation.PipelinePosition}" : string.Empty,
                first ? "Supply values for the following parameters:" : string.Empty,
                new System.Collections.ObjectModel.Collection<System.Management.Automation.Host.FieldDescription> { field });
            return answers != null && answers.TryGetValue(name, out var answer) ? answer : null;
        }

        /// <summary>Whether the host cannot prompt (-NonInteractive, or no UI to ask with).</summary>
        private protected static bool CannotPrompt(Exception exception) =>
            exception is PSInvalidOperationException || exception is NotImplementedException || exception is System.Management.Automation.Host.HostException;

        internal static string Capitalised(string text) =>
            text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        /// <summary>Whether -Debug, and not <paramref name="ownParameter"/>, sets this stream to Inquire.</summary>
        private bool DebugWouldInquire(string ownParameter) =>
            SwitchGiven("Debug") && !MyInvocation.BoundParameters.ContainsKey(ownParameter);

        internal CmdletLog CreateLog() =>
            new CmdletLog(this, Wants("Verbose", "VerbosePreference"), Wants("Debug", "DebugPreference"));

        /// <summary>Terminates with a record built from an exception no further input can get past.</summary>
        protected void ThrowTerminating(Exception exception, string what, object? target) =>
            ThrowTerminatingError(EnosErrorRecords.ForFailure(exception, what, target));

        /// <summary>A common parameter's value when given, otherwise the caller's preference variable ($VerbosePreference, ...).</summary>
        private static object? BoundOrPreference(PSCmdlet cmdlet, string parameter, string preferenceVariable) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue(parameter, out var bound) ? bound : cmdlet.GetVariableValue(preferenceVariable);

        /// <summary>Whether a switch was given on the command line and is on (-Confirm, not -Confirm:$false).</summary>
        private protected bool SwitchGiven(string name) =>
            MyInvocation.BoundParameters.TryGetValue(name, out var bound) && bound is SwitchParameter flag && flag.IsPresent;

        /// <summary>Whether -WhatIf is in force for this command (the switch, or $WhatIfPreference).</summary>
        private protected bool WhatIfRequested => WhatIfRequestedOf(this);

        /// <summary>Whether -WhatIf is in force; static for the commands that are not EnosCmdlets (Export needs no connection).</summary>
        internal static bool WhatIfRequestedOf(PSCmdlet cmdlet) =>
            BoundOrPreference(cmdlet, "WhatIf", "WhatIfPreference") is var setting
            && (setting is SwitchParameter flag ? flag.IsPresent : LanguagePrimitives.IsTrue(setting));

        /// <summary>Whether a written error will stop the command (-ErrorAction Stop, or the preference).</summary>
        internal bool ErrorsStop() => Preference(BoundOrPreference(this, "ErrorAction", "ErrorActionPreference")) == ActionPreference.Stop;

        /// <summary>Whether a stream is wanted: its switch, else its preference (an unreadable one: yes).</summary>
        private bool Wants(string switchName, string preferenceVariable)
        {
            var setting = BoundOrPreference(this, switchName, preferenceVariable);
            return setting is SwitchParameter flag
                ? flag.IsPresent
                : Preference(setting) is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
        }

        private static ActionPreference? Preference(object? setting)
        {
            try
            {
                return LanguagePrimitives.ConvertTo<ActionPreference>(setting);
            }
            catch (PSInvalidCastException)
            {
                return null;
            }
        }
    }
}
