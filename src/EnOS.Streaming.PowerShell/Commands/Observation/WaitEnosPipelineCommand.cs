using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Bulk;
using EnOS.Streaming.Waiting;

namespace EnOS.Streaming.Commands
{
    /// <summary>Waits until pipelines reach a status (<see cref="PipelineTargetCmdlet.WaitForStatus"/>).</summary>
    [Cmdlet(VerbsLifecycle.Wait, "EnosPipeline", DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(Pipeline))]
    public sealed class WaitEnosPipelineCommand : PipelineSetCmdlet
    {
        private const string JournalSet = "JournalPath";

        private IReadOnlyList<JournalEntry>? _journalEntries;

        [Parameter(ParameterSetName = JournalSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = null!;

        [Parameter(Mandatory = true)]
        [ValidateSet("Running", "Paused", "Stopped", "Published")]
        public PipelineStatus Status { get; set; }

        [Parameter]
        [ValidateRange(1, 86_400)]
        public int TimeoutSec { get; set; } = 300;

        [Parameter]
        [ValidateRange(1, 3_600)]
        public int PollSec { get; set; } = 5;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ParameterSetName != JournalSet)
            {
                return;
            }

            var path = GetUnresolvedProviderPathFromPSPath(JournalPath);
            UseJournal(path, () => _journalEntries = ReadJournal(path).Entries, onlyReading: true);
            WriteVerbose($"The journal '{path}' lists {_journalEntries!.Count} pipeline(s).");
        }

        private protected override IEnumerable<PipelineTarget> CurrentTargets() =>
            _journalEntries == null
                ? base.CurrentTargets()
                : _journalEntries.Select(entry => new PipelineTarget(entry.PipelineId, entry.OrgId ?? OrgId ?? Connection.OrgId,
                    new Pipeline { PipelineId = entry.PipelineId, Name = entry.Name, OrgId = entry.OrgId }));

        protected override void EndProcessing() => WaitForStatus(Targets, Status, TimeoutSec, PollSec);
    }
}
