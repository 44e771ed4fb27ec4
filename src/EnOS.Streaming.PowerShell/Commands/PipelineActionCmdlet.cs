using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>One pipeline's state change, ready to run off the pipeline thread.</summary>
    internal delegate Task<StateChange> PipelineAction(StreamingClient client, CancellationToken cancellationToken);

    /// <summary>
    /// The shape of every cmdlet that changes pipelines: ids or pipeline objects from the pipeline,
    /// ShouldProcess per pipeline, requests run concurrently up to -ThrottleLimit, one error record
    /// per failed pipeline, -PassThru, and progress for long runs.
    /// </summary>
    public abstract class PipelineActionCmdlet : PipelineTargetCmdlet
    {
        private ActionProgress? _progress;
        private EnosApiException? _authenticationFailure;
        private bool _endingOnError;
        private PipelineDirectory? _directory;

        // Each pipeline once per command: a second mention gets no second request or result.
        private readonly HashSet<string> _handled = new HashSet<string>(StringComparer.Ordinal);

        // Started and not yet reported: what the user must be told about if PowerShell ends the
        // command first (Ctrl+C, Select-Object -First).
        private readonly Dictionary<PipelineTarget, Task<ActionResult>> _unreported = new Dictionary<PipelineTarget, Task<ActionResult>>();
        private PipelineTarget? _writing;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>The action in words, for every message, prompt and progress line.</summary>
        private protected abstract ActionWording Wording { get; }

        private ActionProgress Progress => _progress ??= new ActionProgress(Wording.Progressive);

        /// <summary>
        /// The action for one pipeline. Called on the pipeline thread, so it must read the
        /// parameters now: by the time the returned action runs on a task, the binder may have
        /// bound the next input record's values.
        /// </summary>
        private protected abstract PipelineAction CreateAction(PipelineTarget target);

        /// <summary>Asks ShouldProcess; Stop-EnosPipeline overrides it for -Force.</summary>
        protected virtual bool Confirm(PipelineTarget target) => ShouldProcess(target.Description, Wording.ShouldProcess);

        /// <summary>
        /// Confirm for the commands that cannot be undone (ConfirmImpact High): -Force goes ahead
        /// unless -WhatIf or an explicit -Confirm; where nobody can answer the prompt, ends with
        /// EnosConfirmationRequired saying how to go ahead, rather than PowerShell's bare error.
        /// </summary>
        private protected bool ConfirmUnlessForced(PipelineTarget target, bool force)
        {
            if (force && !WhatIfRequested && !SwitchGiven("Confirm"))
            {
                return true;
            }

            try
            {
                return ShouldProcess(target.Description, Wording.ShouldProcess);
            }
            catch (PSInvalidOperationException exception)
            {
                ThrowTerminatingError(EnosErrorRecords.ForConfirmationUnavailable(exception, MyInvocation.MyCommand.Name, target.PipelineId));
                throw;
            }
        }

        protected override void ProcessRecord()
        {
            try
            {
                foreach (var target in UsableTargets())
                {
                    Progress.OnReceived();
                    if (!_handled.Add(target.OrgId + "\n" + target.PipelineId))
                    {
                        Progress.OnDuplicate();
                        WriteVerbose($"{Capitalised(target.Description)} appears again in the input; it is handled once.");
                        continue;
                    }

                    if (!Confirm(target))
                    {
                        Progress.OnSkipped();
                        continue;
                    }

                    var client = Client;
                    var action = CreateAction(target);
                    var passThru = PassThru.IsPresent;
                    _unreported[target] = Pump.Start(
                        cancellationToken => RunAsync(client, target, action, passThru, cancellationToken),
                        finished => Complete(target, finished),
                        ThrottleLimit);
                }

                Pump.HandleReady();
            }
            catch (PipelineStoppedException)
            {
                TellUnreported();
                throw;
            }
        }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (!MyInvocation.ExpectingInput)
            {
                Progress.KnowTotal(ParameterSetName == ByIdSet || IdsPrompted ? PipelineId?.Length ?? 0
                    : ParameterSetName == ByObjectSet ? 1
                    : (int?)null);
            }
        }

        protected override void EndProcessing()
        {
            Progress.OnInputEnded();
            try
            {
                Pump.WaitForAll();
            }
            catch (PipelineStoppedException)
            {
                TellUnreported();
                throw;
            }

            var done = Progress.Done();
            if (done != null)
            {
                WriteProgress(done);
            }

            var summary = Progress.Summary();
            if (summary != null)
            {
                WriteVerbose(summary);
            }
        }

        /// <summary>
        /// Called on the request's task just before its request is sent, and once its outcome is
        /// known (change null: it failed), so that a journal is written as soon as the service
        /// answers, not when the result reaches the pipeline thread.
        /// </summary>
        private protected virtual void OnSending(PipelineTarget target)
        {
        }

        private protected virtual void OnOutcome(PipelineTarget target, StateChange? change, Exception? failure)
        {
        }

        /// <summary>Asks ShouldProcess with the whole -WhatIf line: "Resume pipeline 'x' (pl-1): listed PAUSED: would ...".</summary>
        private protected bool ShouldProcessExplained(PipelineTarget target, string explanation)
        {
            explanation = explanation.TrimEnd('.');
            return ShouldProcess(
                $"{Wording.ShouldProcess} {target.Description}: {explanation}.",
                $"{Wording.ShouldProcess} {target.Description}? It is {explanation}.",
                Wording.ShouldProcess);
        }

        /// <summary>
        /// Ctrl+C (StopProcessing), or a later command that wants no more (Select-Object -First
        /// throws StopUpstreamCommandsException, a PipelineStoppedException, through WriteObject),
        /// ends the command before it reported every pipeline it sent a request for: finish
        /// (a downstream stop) or cancel (Ctrl+C) those requests, and tell the user which ones
        /// changed or may have changed, through a stream that still works after the stop, so
        /// that nothing changes silently.
        /// </summary>
        private void TellUnreported()
        {
            // Ctrl+C cancels the command's token (StopProcessing); Select-Object -First does not.
            var userStop = StopToken.IsCancellationRequested;
            if (!userStop && _writing != null)
            {
                // Select-Object took that object before it asked the upstream commands to stop.
                _unreported.Remove(_writing);
            }

            if (_unreported.Count == 0)
            {
                return;
            }

            if (!userStop)
            {
                // No one asked to hurry: let the requests already sent finish, so the report is exact.
                try
                {
                    Task.WaitAll(new List<Task>(_unreported.Values).ToArray(), Connection.Options.Timeout);
                }
                catch (AggregateException)
                {
                    // Each failure is reported below.
                }
            }

            var changed = new List<string>();
            var unknown = new List<string>();
            var unchanged = new List<string>();
            foreach (var pair in _unreported)
            {
                var task = pair.Value;
                var name = pair.Key.PipelineId;
                if (task.Status == TaskStatus.RanToCompletion)
                {
                    (task.Result.Change == StateChange.Applied ? changed : unchanged).Add(name);
                }
                else if (task.IsFaulted && task.Exception!.GetBaseException() is EnosApiException)
                {
                    unchanged.Add(name); // the service answered: nothing changed
                }
                else
                {
                    unknown.Add(name); // cancelled in flight, or no answer: it may have changed
                }
            }

            var why = userStop ? "The command was stopped" : "A later command in the pipeline stopped taking output";
            var message = $"{why} before {MyInvocation.MyCommand.Name} reported {_unreported.Count} pipeline(s) it had sent a request for."
                          + (changed.Count > 0 ? $" {Capitalised(Wording.Verb)} accepted but not reported: {string.Join(", ", changed)}." : string.Empty)
                          + (unknown.Count > 0 ? $" May have been {Wording.PastTense}: {string.Join(", ", unknown)} (check with Get-EnosPipeline)." : string.Empty)
                          + (unchanged.Count > 0 ? $" Not changed: {string.Join(", ", unchanged)}." : string.Empty);
            _unreported.Clear();
            TellAfterStop(message);
        }

        /// <summary>
        /// After a stop, the warning stream may itself be closed (a stopped pipeline throws on
        /// every write): the host's UI still reaches the user.
        /// </summary>
        private void TellAfterStop(string message)
        {
            try
            {
                WriteWarning(message);
                return;
            }
            catch (PipelineStoppedException)
            {
                // The pipeline refuses writes now; try the host.
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
        /// The command's one directory of current pipeline states, listed at most once per
        /// organisation however many pipelines need it.
        /// </summary>
        private protected PipelineDirectory SharedDirectory(StreamingClient client) =>
            LazyInitializer.EnsureInitialized(ref _directory, () => new PipelineDirectory(client))!;

        private protected override void OnRejected(PipelineTarget target)
        {
            Progress.OnReceived();
            Progress.OnFailed();
            Progress.OnCompleted();
            DrainIfErrorsStop();
        }

        /// <summary>
        /// Called just before an error is written. Under -ErrorAction Stop that error ends the
        /// command, yet requests already sent may have changed pipelines: wait for them and write
        /// their results first (once the error is written, nothing more can be), rather than lose
        /// track of them. Nothing new is started.
        /// </summary>
        private void DrainIfErrorsStop()
        {
            if (!_endingOnError && ErrorsStop())
            {
                _endingOnError = true;
                Pump.WaitForAll();
            }
        }

        private async Task<ActionResult> RunAsync(
            StreamingClient client, PipelineTarget target, PipelineAction action, bool passThru, CancellationToken cancellationToken)
        {
            OnSending(target);
            StateChange change;
            try
            {
                change = await action(client, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!(exception is OperationCanceledException))
            {
                OnOutcome(target, null, exception);
                throw;
            }

            OnOutcome(target, change, null);
            if (!passThru)
            {
                return new ActionResult(change, null);
            }

            if (target.Known != null)
            {
                return new ActionResult(change, Settled(target.Known));
            }

            // A bare id: the listing has what a piped object would (name, execution mode, update
            // time), so -PassThru writes the same shape either way; the details, which lack them,
            // are the fallback for a pipeline the listing does not show.
            try
            {
                var listed = await SharedDirectory(client).FindAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
                if (listed != null)
                {
                    return new ActionResult(change, Settled(listed));
                }

                var details = await client.GetPipelineAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
                return new ActionResult(change, Settled(new Pipeline
                {
                    PipelineId = details.PipelineId ?? target.PipelineId,
                    Name = details.Name,
                    OrgId = target.OrgId,
                    Version = details.Version,
                    TemplateType = details.TemplateType,
                }));
            }
            catch (EnosException)
            {
                // The change itself succeeded; never lose track of the pipeline over its name.
                return new ActionResult(change, Settled(new Pipeline { PipelineId = target.PipelineId, OrgId = target.OrgId }));
            }
        }

        /// <summary>The pipeline as -PassThru writes it once the action is done.</summary>
        private Pipeline Settled(Pipeline pipeline) => Wording.KeepsStatus ? pipeline : pipeline.WithStatus(Wording.TargetStatus);

        private void Complete(PipelineTarget target, Task<ActionResult> finished)
        {
            Progress.OnCompleted();
            if (finished.IsCanceled)
            {
                // Only the command's own stop cancels: TellUnreported names it.
                return;
            }

            if (finished.IsFaulted)
            {
                Progress.OnFailed();
                var exception = finished.Exception!.GetBaseException();
                var record = ErrorFor(exception, Wording.Verb, target);
                if (_endingOnError)
                {
                    // The command is already ending on an earlier error that -ErrorAction Stop
                    // makes terminating: a further error record cannot be written, so warn.
                    _unreported.Remove(target);
                    WriteWarning($"Also failed: {record}");
                    return;
                }

                if (exception is EnosApiException api && api.IsAuthenticationFailure && _authenticationFailure == null)
                {
                    // The credentials stopped working: no further pipeline can succeed. Report
                    // what is already in flight (some of it may have been accepted), then end.
                    _authenticationFailure = api;
                    if (!ErrorsStop())
                    {
                        _unreported.Remove(target);
                        WriteError(record);
                    }

                    _endingOnError = ErrorsStop();
                    WriteVerbose($"EnOS refused the credentials; reporting the {Pump.InFlight} request(s) still in flight, then ending.");
                    Pump.WaitForAll();
                    ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api, _endingOnError ? target.PipelineId : null));
                }

                DrainIfErrorsStop();
                _unreported.Remove(target);
                WriteError(record);
            }
            else
            {
                var result = finished.Result;
                var status = PipelineStatusText.ToApiText(Wording.TargetStatus).ToLowerInvariant();
                WriteVerbose(result.Change == StateChange.Applied
                    ? $"{Capitalised(Wording.Progressive)} {target.Description}: accepted."
                    : $"{Capitalised(target.Description)} is already {status}; nothing to do.");
                if (result.Output != null)
                {
                    // Select-Object -First takes the object, then throws through this call.
                    _writing = target;
                    WriteObject(result.Output);
                    _writing = null;
                }

                _unreported.Remove(target);
            }

            ReportProgress(target);
        }

        private void ReportProgress(PipelineTarget last)
        {
            var record = Progress.Next(last.Description, Pump.InFlight);
            if (record != null)
            {
                WriteProgress(record);
            }
        }

        private static string Capitalised(string text) =>
            text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        private sealed class ActionResult
        {
            public ActionResult(StateChange change, Pipeline? output)
            {
                Change = change;
                Output = output;
            }

            public StateChange Change { get; }
            public Pipeline? Output { get; }
        }
    }
}
