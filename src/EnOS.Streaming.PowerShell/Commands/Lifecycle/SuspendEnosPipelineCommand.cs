using System;
using System.IO;
using System.Management.Automation;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Bulk;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Pauses running pipelines. A pipeline that is already paused is left as it is, without error.
    /// With -JournalPath, each pipeline this run pauses is appended to a journal file as soon as
    /// the service accepts it, for Resume-EnosPipeline -JournalPath to bring back.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Suspend, "EnosPipeline", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class SuspendEnosPipelineCommand : PipelineActionCmdlet
    {
        [Parameter]
        public SwitchParameter Wait { get; set; }

        private MaintenanceJournal? _journal;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        private protected override ActionWording Wording { get; } = new ActionWording("pause", "paused", "Pausing", "Pause", PipelineStatus.Paused);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (JournalPath == null)
            {
                return;
            }

            var path = GetUnresolvedProviderPathFromPSPath(JournalPath);
            if (WhatIfRequested)
            {
                // Nothing is paused, so nothing is recorded; but a journal the real run could not
                // open fails now, as the real run would, rather than after a "What if" that promised.
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                {
                    ThrowTerminatingError(EnosErrorRecords.ForJournal(new DirectoryNotFoundException($"The folder '{folder}' does not exist."), path));
                }

                return;
            }

            // The connection first: without one nothing is paused, and no empty journal is left behind.
            var gateway = MaintenanceJournal.GatewayName(Connection.GatewayUrl);
            UseJournal(path, () => _journal = MaintenanceJournal.Open(path, gateway));
            WriteVerbose($"Recording each paused pipeline in the journal '{path}'.");
        }

        // -WhatIf reads the listed statuses (one listing) and says what the real run would do with each.
        protected override bool Confirm(PipelineTarget target) =>
            ConfirmExplained(target, () => ExplainPause(target), "the real run would send the pause action");

        private string ExplainPause(PipelineTarget target)
        {
            var directory = SharedDirectory(Client);
            var listed = Await(directory.FindAsync(target.OrgId, target.PipelineId, StopToken));
            if (listed == null)
            {
                var hint = PipelineNameHint.For(target.PipelineId, Await(directory.ListedAsync(target.OrgId, StopToken)));
                return $"no such pipeline: organisation '{DisplayText.Escape(target.OrgId)}' does not list it"
                       + (hint == null ? string.Empty : $" ({hint})") + "; the real run would report EnosPipelineNotFound";
            }

            return listed.Status switch
            {
                PipelineStatus.Running => "listed RUNNING: would pause it; it keeps its offsets",
                PipelineStatus.Paused => "listed PAUSED: already paused, nothing to do",
                _ => $"listed {DisplayText.Escape(listed.StatusText ?? PipelineStatusText.ToApiText(listed.Status))}: "
                     + "would be refused, only a running pipeline can be paused (EnosPipelineStateConflict)",
            };
        }

        private protected override PipelineAction CreateAction(PipelineTarget target) =>
            (client, cancellationToken) => client.PausePipelineAsync(target.OrgId, target.PipelineId, cancellationToken);

        // Written on the request's task: on disk before the result even reaches the pipeline thread.
        // With the status the listing showed: a pipeline paused before the window is never the way back's.
        private protected override void OnSending(PipelineTarget target) => Record(JournalAction.Pausing, target);

        private protected override void OnOutcome(PipelineTarget target, StateChange? change, Exception? failure)
        {
            if (target.Known != null && !JournalLine.CouldBePausedFrom(target.Known.Status))
            {
                // Listed paused (or stopped) before this run: whatever the answer, this window did not pause it.
                Record(JournalAction.Unchanged, target);
            }
            else if (change == StateChange.Applied
                     // Listed running, and the service now says "already paused": someone paused it
                     // since the listing, or this run's answer was lost; the way back must include it.
                     || (change == StateChange.AlreadyInState && target.Known?.Status == PipelineStatus.Running))
            {
                Record(JournalAction.Paused, target);
            }
            else if (change == StateChange.AlreadyInState
                     // Refused, or never reached the service (a dead gateway, the circuit open,
                     // throttled to the end): "pausing" must not stay the last word, or the way
                     // back would resume a pipeline this run never paused.
                     || failure is EnosException { ChangedNothing: true })
            {
                Record(JournalAction.Unchanged, target);
            }

            // Any other failure (no answer, or an error after an attempt without one): the pause may
            // have been applied, and "pausing" stays the last word: resumed if listed PAUSED.
        }

        private void Record(string action, PipelineTarget target) =>
            _journal?.Append(action, target.OrgId, target.PipelineId, target.Name, target.Known?.ExecutionMode, DateTimeOffset.UtcNow, target.Known?.Status);

        private protected override void OnDisposed() => _journal?.Dispose();
    }
}
