using System;
using System.Collections.Concurrent;
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
    /// <remarks>
    /// Near 300 lines because it is the one place a state change is run from input to report
    /// (confirmation, dispatch, each outcome, an early end); the parts with a job of their own are
    /// ActionLedger, ActionProgress, ItemErrorWriter and PassThruLookup.
    /// </remarks>
    public abstract class PipelineActionCmdlet : PipelineTargetCmdlet
    {
        private ActionProgress? _progress;
        private ActionLedger? _ledger;
        private ItemErrorWriter? _errors;
        private EnosApiException? _authenticationFailure;
        private readonly ConcurrentDictionary<PipelineTarget, string> _nameHints = new ConcurrentDictionary<PipelineTarget, string>();
        private int _neverGotTurn;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>The action in words, for every message, prompt and progress line.</summary>
        private protected abstract ActionWording Wording { get; }

        private ActionProgress Progress => _progress ??= new ActionProgress(Wording.Progressive);

        private ActionLedger Ledger => _ledger ??= new ActionLedger(Wording);

        private ItemErrorWriter Errors => _errors ??= new ItemErrorWriter(Pump, ErrorsStop, WriteError, WriteWarning);

        /// <summary>
        /// The action for one pipeline. Called on the pipeline thread, so it must read the
        /// parameters now: by the time the returned action runs on a task, the binder may have
        /// bound the next input record's values.
        /// </summary>
        private protected abstract PipelineAction CreateAction(PipelineTarget target);

        /// <summary>Asks ShouldProcess; the irreversible actions override it for -Force.</summary>
        protected virtual bool Confirm(PipelineTarget target) => ShouldProcess(target.Description, Wording.ShouldProcess);

        protected override void ProcessRecord()
        {
            try
            {
                foreach (var target in UsableTargets())
                {
                    Progress.OnReceived();
                    if (!Ledger.FirstMention(target))
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
                    Ledger.Sent(target, Pump.Start(
                        cancellationToken => RunAsync(client, target, action, passThru, cancellationToken),
                        finished => Complete(target, finished),
                        ThrottleLimit));
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

            // Under -WhatIf the "What if" lines are the story: there is nothing to sum up.
            if (!WhatIfRequested)
            {
                SummaryLine.Write(this, Summary(Progress.Summary(Wording)));
            }

            if (_neverGotTurn > 0)
            {
                WriteWarning($"{_neverGotTurn} start{(_neverGotTurn == 1 ? string.Empty : "s")} never got a turn: the organisation stayed busy starting "
                             + "another pipeline (EnOS 61121) for all of -TimeoutSec. Each has its own error; run the command again for them later.");
            }
        }

        /// <summary>The closing line; <paramref name="counts"/> is the requests' ("6 paused, 0 failed, 2 already paused").</summary>
        private protected virtual string Summary(string counts) => counts;

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

        /// <summary>The pipeline -PassThru writes (settled): the piped one, else the listed one (<see cref="PassThruLookup"/>).</summary>
        private protected virtual Pipeline? PassThruSource(PipelineTarget target) => target.Known;

        /// <summary>On the pipeline thread: the pipeline was already in the target state, so nothing was sent or changed.</summary>
        private protected virtual void OnAlreadyInState(PipelineTarget target)
        {
        }

        /// <summary>
        /// The warning for an -ExecutionMode that a running pipeline cannot take: a start or resume
        /// of it sends nothing, so the mode is not applied, and saying nothing would read as done.
        /// </summary>
        private protected void WarnModeNotApplied(PipelineTarget target, ExecutionMode? mode)
        {
            if (mode.HasValue)
            {
                WriteWarning($"-ExecutionMode {mode.Value} was not applied to {target.Description}: it is already running, in the mode it was started with. "
                             + "To run it in another mode, suspend it and resume it with -ExecutionMode.");
            }
        }

        /// <summary>
        /// Confirms; under -WhatIf, with the whole line of what the real run would do, read now by
        /// <paramref name="explain"/> ("Resume pipeline 'x' (pl-1): listed PAUSED: would ..."), or
        /// where the status cannot be read, why and what the real run would do anyway.
        /// </summary>
        private protected bool ConfirmExplained(PipelineTarget target, Func<string> explain, string unreadable)
        {
            if (!WhatIfRequested)
            {
                return ShouldProcess(target.Description, Wording.ShouldProcess);
            }

            string explanation;
            try
            {
                explanation = explain().TrimEnd('.');
            }
            catch (Exception exception) when (exception is EnosException || exception is ArgumentException)
            {
                explanation = $"its status cannot be read now ({EnosErrorRecords.ReasonOf(exception)}); {unreadable}";
            }

            return ShouldProcess(
                $"{Wording.ShouldProcess} {target.Description}: {explanation}.",
                $"{Wording.ShouldProcess} {target.Description}? It is {explanation}.",
                Wording.ShouldProcess);
        }

        /// <summary>
        /// Ctrl+C, or a later command that wants no more (Select-Object -First throws a
        /// PipelineStoppedException through WriteObject), ended the command before it reported every
        /// pipeline it sent a request for: say which changed or may have, so nothing changes silently.
        /// </summary>
        private void TellUnreported()
        {
            // Ctrl+C cancels the command's token (StopProcessing); Select-Object -First does not.
            var report = Ledger.InterruptedReport(userStop: StopToken.IsCancellationRequested, Connection.Options.Timeout, MyInvocation.MyCommand.Name);
            if (report != null)
            {
                WarnAfterStop(report);
            }
        }

        /// <summary>
        /// Disposed with requests sent and not reported: PowerShell ended the command from outside
        /// while it was not running (Ctrl+C during another command's turn, an error elsewhere in the
        /// pipeline). Every change already applied must still reach the user.
        /// </summary>
        private protected override void OnEnding(bool stoppedByUser)
        {
            var report = _ledger?.InterruptedReport(stoppedByUser, Connection.Options.Timeout, MyInvocation.MyCommand.Name,
                stoppedByUser ? null : "The command was ended by an error elsewhere in the pipeline");
            if (report != null)
            {
                WarnAfterStop(report);
            }
        }

        private protected override void OnRejected(PipelineTarget target)
        {
            Progress.OnReceived();
            Progress.OnFailed();
            Progress.OnCompleted();
            Errors.DrainIfErrorsStop();
        }

        private async Task<(StateChange Change, Pipeline? Output)> RunAsync(
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
                if (EnosErrorRecords.IsNotFound(exception))
                {
                    await FindNameHintAsync(client, target, cancellationToken).ConfigureAwait(false);
                }

                throw;
            }

            OnOutcome(target, change, null);
            if (!passThru)
            {
                return (change, null);
            }

            var output = PassThruSource(target) ?? await PassThruLookup.FindAsync(client, SharedDirectory(client), target, cancellationToken).ConfigureAwait(false);
            return (change, Wording.Settled(output));
        }

        /// <summary>For an id the service does not have: whether it is a name, or one character off an id or name (read here, off the pipeline thread).</summary>
        private async Task FindNameHintAsync(StreamingClient client, PipelineTarget target, CancellationToken cancellationToken)
        {
            try
            {
                var hint = await PipelineNameHint.FindAsync(SharedDirectory(client), target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
                if (hint != null)
                {
                    _nameHints[target] = hint;
                }
            }
            catch (EnosException)
            {
                // Only a hint: the error stands without it.
            }
        }

        private void Complete(PipelineTarget target, Task<(StateChange Change, Pipeline? Output)> finished)
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
                if (!Failed(target, finished.Exception!.GetBaseException()))
                {
                    // Only warned of: the command is ending on an earlier error.
                    return;
                }
            }
            else
            {
                Succeeded(target, finished.Result.Change, finished.Result.Output);
            }

            var progress = Progress.Next(target.Description, Pump.InFlight);
            if (progress != null)
            {
                WriteProgress(progress);
            }
        }

        /// <summary>Reports a failed pipeline; false when the command is already ending and it was only warned of.</summary>
        private bool Failed(PipelineTarget target, Exception exception)
        {
            var record = EnosErrorRecords.WithMayHaveChanged(ErrorFor(exception, Wording.Verb, target, _nameHints.TryGetValue(target, out var hint) ? hint : null), exception, Wording.PastTense);
            if (exception is EnosTransportException { NeverGotTurn: true })
            {
                _neverGotTurn++;
            }

            if (!Errors.Ending && exception is EnosApiException api && api.IsAuthenticationFailure && _authenticationFailure == null)
            {
                // The credentials stopped working: no further pipeline can succeed. Report
                // what is already in flight (some of it may have been accepted), then end.
                _authenticationFailure = api;
                if (!ErrorsStop())
                {
                    Ledger.Reported(target);
                    WriteError(record);
                }
                else
                {
                    // The terminating error below is this one: later failures become warnings.
                    Errors.MarkEnding();
                }

                WriteVerbose($"EnOS refused the credentials; reporting the {Pump.InFlight} request(s) still in flight, then ending.");
                Pump.WaitForAll();
                ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api, Errors.Ending ? target.PipelineId : null));
            }

            return Errors.Write(record, () => Ledger.Reported(target));
        }

        private void Succeeded(PipelineTarget target, StateChange change, Pipeline? output)
        {
            var status = PipelineStatusText.ToApiText(Wording.TargetStatus).ToLowerInvariant();
            if (change == StateChange.AlreadyInState)
            {
                Progress.OnAlreadyInState();
            }

            WriteVerbose(change == StateChange.Applied
                ? $"{Capitalised(Wording.Progressive)} {target.Description}: accepted."
                : $"{Capitalised(target.Description)} is already {status}; nothing to do.");
            if (output != null)
            {
                // Select-Object -First takes the object, then throws through this call.
                Ledger.Writing = target;
                WriteObject(output);
                Ledger.Writing = null;
            }

            if (change != StateChange.Applied)
            {
                OnAlreadyInState(target);
            }

            Ledger.Reported(target);
        }
    }
}
