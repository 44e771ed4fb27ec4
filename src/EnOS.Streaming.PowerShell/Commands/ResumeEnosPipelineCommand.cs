using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Resumes paused pipelines from where they paused (the API's start action on a PAUSED
    /// pipeline). The start action is sent only for a pipeline the service lists as PAUSED just
    /// before; a running pipeline is left as it is; anything else is refused without a request,
    /// because starting it would begin again from scratch (that is Start-EnosPipeline's job).
    /// With -JournalPath, resumes exactly the pipelines a Suspend-EnosPipeline -JournalPath run
    /// paused and has not yet seen resumed, and records each one it brings back.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Resume, "EnosPipeline", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class ResumeEnosPipelineCommand : PipelineActionCmdlet
    {
        private const string JournalSet = "Journal";

        private List<JournalEntry>? _pending;
        private MaintenanceJournal? _journal;

        /// <summary>Records per second read from Kafka after resuming.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int KafkaRate { get; set; } = 1000;

        /// <summary>
        /// The mode to resume in, instead of the one the service lists. Deliberately not bound from
        /// piped objects: their mode may be as old as the file they came from.
        /// </summary>
        [Parameter]
        public ExecutionMode? ExecutionMode { get; set; }

        /// <summary>The journal a Suspend-EnosPipeline -JournalPath run wrote: resumes what it paused.</summary>
        [Parameter(ParameterSetName = JournalSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = null!;

        private protected override ActionWording Wording { get; } = new ActionWording("resume", "resumed", "Resuming", "Resume", PipelineStatus.Running);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ParameterSetName != JournalSet)
            {
                return;
            }

            var path = GetUnresolvedProviderPathFromPSPath(JournalPath);
            try
            {
                _pending = MaintenanceJournal.ReadPending(path, out var unreadable);
                if (unreadable > 0)
                {
                    WriteWarning($"The journal '{path}' has {unreadable} line(s) that are not journal entries (a line cut off by a killed run, or an edit); they were skipped.");
                }

                WriteVerbose($"The journal '{path}' lists {_pending.Count} pipeline(s) paused and not yet resumed.");
                // Under -WhatIf nothing is resumed, so nothing is recorded either.
                _journal = WhatIfRequested ? null : MaintenanceJournal.Open(path);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException)
            {
                ThrowTerminatingError(EnosErrorRecords.ForJournal(exception, path));
            }
        }

        private protected override IEnumerable<PipelineTarget> CurrentTargets()
        {
            if (_pending == null)
            {
                foreach (var target in base.CurrentTargets())
                {
                    yield return target;
                }

                yield break;
            }

            foreach (var entry in _pending)
            {
                var orgId = OrgId ?? entry.OrgId ?? Connection.OrgId;
                yield return new PipelineTarget(entry.PipelineId, orgId, new Pipeline
                {
                    PipelineId = entry.PipelineId,
                    Name = entry.Name,
                    OrgId = orgId,
                    ExecutionMode = entry.ExecutionMode,
                });
            }
        }

        // -WhatIf reads (the status decides everything) and says what the real run would do.
        protected override bool Confirm(PipelineTarget target) =>
            ConfirmExplained(target,
                () => Await(Client.PlanResumeAsync(target.OrgId, target.PipelineId, SharedDirectory(Client), ExecutionMode, StopToken)).Explain(),
                "the real run would report an error");

        // The status of a piped object may be hours old (Import-Clixml): the client reads the
        // current one from the command's shared directory.
        private protected override PipelineAction CreateAction(PipelineTarget target)
        {
            var kafkaRate = KafkaRate;
            var mode = ExecutionMode;
            return (client, cancellationToken) =>
                client.ResumePipelineAsync(target.OrgId, target.PipelineId, kafkaRate, SharedDirectory(client), mode, cancellationToken);
        }

        // Running again (resumed now, or found running): the journal's entry is settled.
        private protected override void OnOutcome(PipelineTarget target, StateChange? change, Exception? failure)
        {
            if (change.HasValue)
            {
                _journal?.Append(JournalAction.Resumed, target.OrgId, target.PipelineId, target.Name, target.Known?.ExecutionMode, DateTimeOffset.UtcNow);
            }
        }

        private protected override void OnAlreadyInState(PipelineTarget target) => WarnModeNotApplied(target, ExecutionMode);

        private protected override void OnDisposed() => _journal?.Dispose();
    }
}
