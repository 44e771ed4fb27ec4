using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Bulk;
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
        [Parameter]
        public SwitchParameter Wait { get; set; }

        private const string JournalSet = "Journal";

        // EnOS documents that a pause may not last longer than this.
        private static readonly TimeSpan LongestPause = TimeSpan.FromHours(24);

        private IReadOnlyList<JournalEntry>? _pending;

        private MaintenanceJournal? _journal;
        private string? _journalPath;
        private int _acknowledged;
        private int _notAcknowledged;

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int KafkaRate { get; set; } = 1000;

        /// <summary>
        /// The mode to resume in, instead of the one the service lists. Deliberately not bound from
        /// piped objects: their mode may be as old as the file they came from.
        /// </summary>
        [Parameter]
        public ExecutionMode? ExecutionMode { get; set; }

        [Parameter(ParameterSetName = JournalSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = null!;

        [Parameter(ParameterSetName = JournalSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Acknowledge { get; set; }

        private protected override ActionWording Wording { get; } = new ActionWording("resume", "resumed", "Resuming", "Resume", PipelineStatus.Running);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ParameterSetName != JournalSet)
            {
                return;
            }

            var path = _journalPath = GetUnresolvedProviderPathFromPSPath(JournalPath);
            UseJournal(path, () =>
            {
                _pending = ReadJournal(path).Pending;
                WriteVerbose($"The journal '{path}' lists {_pending.Count} pipeline(s) paused and not yet resumed.");
                if (Acknowledge != null)
                {
                    // Settling entries sends nothing and needs no connection.
                    var acknowledged = _pending;
                    _pending = Array.Empty<JournalEntry>();
                    AcknowledgeEntries(acknowledged, path);
                    return;
                }

                // The connection first: the entries are checked against it. Under -WhatIf nothing is
                // resumed, so nothing is recorded either.
                var gateway = MaintenanceJournal.GatewayName(Connection.GatewayUrl);
                _journal = WhatIfRequested ? null : MaintenanceJournal.Open(path, gateway);
            });
        }

        private protected override IEnumerable<PipelineTarget> CurrentTargets() => _pending == null ? base.CurrentTargets() : JournalTargets(_pending);

        private IEnumerable<PipelineTarget> JournalTargets(IReadOnlyList<JournalEntry> pending)
        {
            if (pending.Count == 0)
            {
                // Nothing to resume (or -Acknowledge, which needs no connection).
                yield break;
            }

            // Each entry in the organisation and on the gateway it was journaled for: an entry of
            // another is not touched (the same ids may name other pipelines there).
            var orgId = OrgId ?? Connection.OrgId;
            var gateway = MaintenanceJournal.GatewayName(Connection.GatewayUrl);
            foreach (var entry in pending)
            {
                var entryOrg = entry.OrgId ?? orgId;
                // The object keeps the entry's own organisation: none for a hand-written line without orgId.
                var target = new PipelineTarget(entry.PipelineId, entryOrg, new Pipeline
                {
                    PipelineId = entry.PipelineId,
                    Name = entry.Name,
                    OrgId = entry.OrgId,
                    ExecutionMode = entry.ExecutionMode,
                });
                if (!string.Equals(entryOrg, orgId, StringComparison.Ordinal))
                {
                    Reject(target, EnosErrorRecords.ForJournalWrongOrganisation(entry, target.Description, orgId, _journalPath!));
                    continue;
                }

                if (entry.Gateway != null && !string.Equals(entry.Gateway, gateway, StringComparison.OrdinalIgnoreCase))
                {
                    Reject(target, EnosErrorRecords.ForJournalWrongGateway(entry, target.Description, gateway, _journalPath!));
                    continue;
                }

                var pausedFor = DateTimeOffset.UtcNow - entry.PausedSince;
                if (pausedFor > LongestPause)
                {
                    var hours = Math.Floor(pausedFor.Value.TotalHours).ToString(CultureInfo.InvariantCulture);
                    var since = entry.PausedSince!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                    WriteWarning($"{Capitalised(target.Description)} has been paused for {hours} hours by the journal "
                                 + $"(since {since} UTC), longer than the 24 hours EnOS allows a pause: "
                                 + "check its data once it runs again.");
                }

                yield return target;
            }
        }

        /// <summary>Appends "unchanged" (acknowledged) for each pipeline of -Acknowledge that the journal still holds; sends nothing.</summary>
        private void AcknowledgeEntries(IReadOnlyList<JournalEntry> pending, string path)
        {
            MaintenanceJournal? journal = null;
            try
            {
                // An id given twice is settled once.
                foreach (var id in Acknowledge!.Distinct(StringComparer.Ordinal))
                {
                    var entries = pending.Where(entry => string.Equals(entry.PipelineId, id, StringComparison.Ordinal)
                                                         && (OrgId == null || string.Equals(entry.OrgId, OrgId, StringComparison.Ordinal))).ToList();
                    if (entries.Count == 0)
                    {
                        _notAcknowledged++;
                        WriteError(EnosErrorRecords.ForJournalEntryMissing(id, path));
                        continue;
                    }

                    foreach (var entry in entries)
                    {
                        var description = Pipeline.Describe(entry.PipelineId, entry.Name);
                        if (!ShouldProcess($"{description} in the journal '{path}' (now {entry.State})", "Acknowledge without resuming"))
                        {
                            continue;
                        }

                        journal ??= MaintenanceJournal.Open(path, entry.Gateway);
                        journal.Append(JournalAction.Unchanged, entry.OrgId, entry.PipelineId, entry.Name, entry.ExecutionMode,
                            DateTimeOffset.UtcNow, acknowledged: true);
                        _acknowledged++;
                        WriteVerbose($"Acknowledged {description}: the journal no longer resumes it.");
                    }
                }
            }
            finally
            {
                journal?.Dispose();
            }
        }

        // -Acknowledge resumes nothing: its line counts what it settled, and the ids it could not.
        private protected override string Summary(BulkCounts counts) =>
            Acknowledge == null ? base.Summary(counts) : $"{_acknowledged} acknowledged, {_notAcknowledged} failed";

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

        // A journal entry knows the id, name and mode only: -PassThru writes the pipeline as the
        // resume just listed it (update time, version and all), which costs no further request.
        private protected override Pipeline? PassThruSource(PipelineTarget target) => _pending == null ? target.Known : null;

        // Running again (resumed now, or found running): the journal's entry is settled, in the
        // entry's own organisation (the object of a journal target keeps it).
        private protected override void OnOutcome(PipelineTarget target, StateChange? change, Exception? failure)
        {
            if (change.HasValue)
            {
                var orgId = _pending != null ? target.Known!.OrgId : target.OrgId;
                _journal?.Append(JournalAction.Resumed, orgId, target.PipelineId, target.Name, target.Known?.ExecutionMode, DateTimeOffset.UtcNow);
            }
        }

        private protected override ExecutionMode? ModeGiven => ExecutionMode;

        private protected override void OnDisposed() => _journal?.Dispose();
    }
}
