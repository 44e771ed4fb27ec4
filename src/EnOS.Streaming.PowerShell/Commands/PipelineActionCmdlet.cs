using System;
using System.Collections.Generic;
using System.Diagnostics;
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
        // Progress appears once a run is longer than this, and is redrawn at most this often.
        private const int ProgressThreshold = 5;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
        private readonly int _activityId = new Random().Next(1, int.MaxValue);
        private int _received;
        private int _completed;
        private int _failed;
        private int _skipped;
        private bool _endingOnError;
        private PipelineDirectory? _directory;

        private bool _progressShown;
        private bool _inputEnded;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>The action in words for messages: "pause".</summary>
        protected abstract string ActionVerb { get; }

        /// <summary>The action for -WhatIf and -Confirm: "Pause".</summary>
        protected abstract string ShouldProcessAction { get; }

        /// <summary>"Pausing", for progress.</summary>
        protected abstract string ProgressVerb { get; }

        /// <summary>The status a pipeline has once the action is done.</summary>
        protected abstract PipelineStatus TargetStatus { get; }

        /// <summary>
        /// The action for one pipeline. Called on the pipeline thread, so it must read the
        /// parameters now: by the time the returned action runs on a task, the binder may have
        /// bound the next input record's values.
        /// </summary>
        private protected abstract PipelineAction CreateAction(PipelineTarget target);

        /// <summary>Asks ShouldProcess; Stop-EnosPipeline overrides it for -Force.</summary>
        protected virtual bool Confirm(PipelineTarget target) => ShouldProcess(target.Description, ShouldProcessAction);

        protected override void ProcessRecord()
        {
            foreach (var target in UsableTargets())
            {
                _received++;
                if (!Confirm(target))
                {
                    _skipped++;
                    continue;
                }

                var client = Client;
                var action = CreateAction(target);
                var passThru = PassThru.IsPresent;
                Pump.Start(
                    cancellationToken => RunAsync(client, target, action, passThru, cancellationToken),
                    finished => Complete(target, finished),
                    ThrottleLimit);
            }

            Pump.HandleReady();
        }

        protected override void EndProcessing()
        {
            _inputEnded = true;
            Pump.WaitForAll();
            if (_progressShown)
            {
                WriteProgress(new ProgressRecord(_activityId, $"{ProgressVerb} pipelines", "Done") { RecordType = ProgressRecordType.Completed });
            }

            if (_received > 1)
            {
                WriteVerbose($"{ProgressVerb} done: {_completed - _failed} of {_received} pipelines succeeded, {_failed} failed"
                             + (_skipped > 0 ? $", {_skipped} skipped (-WhatIf or not confirmed)." : "."));
            }
        }

        /// <summary>
        /// The command's one directory of current pipeline states, listed at most once per
        /// organisation however many pipelines need it.
        /// </summary>
        private protected PipelineDirectory SharedDirectory(StreamingClient client) =>
            LazyInitializer.EnsureInitialized(ref _directory, () => new PipelineDirectory(client, StopToken))!;

        private protected override void OnRejected(PipelineTarget target)
        {
            _received++;
            _failed++;
            _completed++;
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
            var change = await action(client, cancellationToken).ConfigureAwait(false);
            if (!passThru)
            {
                return new ActionResult(change, null);
            }

            if (target.Known != null)
            {
                return new ActionResult(change, target.Known.WithStatus(TargetStatus));
            }

            // A bare id: fill in the name and the rest from the details, which have no status.
            try
            {
                var details = await client.GetPipelineAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
                return new ActionResult(change, new Pipeline
                {
                    PipelineId = details.PipelineId,
                    Name = details.Name,
                    OrgId = target.OrgId,
                    Version = details.Version,
                    TemplateType = details.TemplateType,
                }.WithStatus(TargetStatus));
            }
            catch (Exception exception) when (exception is EnosApiException || exception is EnosTransportException)
            {
                // The change itself succeeded; never lose track of the pipeline over its name.
                return new ActionResult(change, new Pipeline { PipelineId = target.PipelineId, OrgId = target.OrgId }.WithStatus(TargetStatus));
            }
        }

        private void Complete(PipelineTarget target, Task<ActionResult> finished)
        {
            _completed++;
            if (finished.IsCanceled)
            {
                return;
            }

            if (finished.IsFaulted)
            {
                _failed++;
                var exception = finished.Exception!.GetBaseException();
                var record = EnosErrorRecords.ForPipeline(exception, ActionVerb, target.PipelineId, target.Name, target.OrgId);
                if (_endingOnError)
                {
                    // The command is already ending on an earlier error; this one can only be told.
                    WriteVerbose($"Also failed: {record}");
                    return;
                }

                if (exception is EnosApiException api && api.IsAuthenticationFailure)
                {
                    // The credentials stopped working: no further pipeline can succeed.
                    ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api));
                }

                DrainIfErrorsStop();
                WriteError(record);
            }
            else
            {
                var result = finished.Result;
                var status = PipelineStatusText.ToApiText(TargetStatus).ToLowerInvariant();
                WriteVerbose(result.Change == StateChange.Applied
                    ? $"{Capitalised(ProgressVerb)} {target.Description}: accepted."
                    : $"{Capitalised(target.Description)} is already {status}; nothing to do.");
                if (result.Output != null)
                {
                    WriteObject(result.Output);
                }
            }

            ReportProgress(target);
        }

        private void ReportProgress(PipelineTarget last)
        {
            if (_received <= ProgressThreshold || (_sinceProgress.Elapsed < ProgressInterval && Pump.InFlight > 0))
            {
                return;
            }

            _sinceProgress.Restart();
            _progressShown = true;
            // The total is known once the input has ended (or was given as an argument).
            var totalKnown = !MyInvocation.ExpectingInput || _inputEnded;
            var record = new ProgressRecord(_activityId, $"{ProgressVerb} pipelines",
                totalKnown
                    ? $"{ProgressVerb} {_completed} of {_received}"
                    : $"{ProgressVerb} {_completed} so far ({Pump.InFlight} in flight)")
            {
                CurrentOperation = last.Description,
            };
            if (totalKnown && _received > 0)
            {
                record.PercentComplete = Math.Min(100, _completed * 100 / _received);
            }

            WriteProgress(record);
        }

        /// <summary>Whether a written error will stop the command (-ErrorAction Stop, or the preference).</summary>
        private bool ErrorsStop()
        {
            try
            {
                return LanguagePrimitives.ConvertTo<ActionPreference>(BoundOrPreference("ErrorAction", "ErrorActionPreference")) == ActionPreference.Stop;
            }
            catch (PSInvalidCastException)
            {
                return false;
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
