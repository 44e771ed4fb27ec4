using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Bulk;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Waiting;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Waits until pipelines reach a status, polling the listing (one set of pages per poll for the
    /// whole set), and writes each pipeline as soon as it gets there.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "EnosPipeline", DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(Pipeline))]
    public sealed class WaitEnosPipelineCommand : PipelineSetCmdlet
    {
        private const string JournalSet = "JournalPath";

        // Filled on the polling task, read by OnEnding after a stop (when posted writes no longer run).
        private readonly ConcurrentDictionary<(string OrgId, string PipelineId), WaitOutcome> _decided =
            new ConcurrentDictionary<(string OrgId, string PipelineId), WaitOutcome>();
        private IReadOnlyList<JournalEntry>? _journalEntries;
        private int _reached;
        private int _failed;
        private int _timedOut;

        /// <summary>A journal Suspend-EnosPipeline -JournalPath wrote: waits for every pipeline in it.</summary>
        [Parameter(ParameterSetName = JournalSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = null!;

        /// <summary>The status to reach.</summary>
        [Parameter(Mandatory = true)]
        [ValidateSet("Running", "Paused", "Stopped", "Published")]
        public PipelineStatus Status { get; set; }

        [Parameter]
        [ValidateRange(1, 86_400)]
        public int TimeoutSec { get; set; } = 300;

        [Parameter]
        [ValidateRange(1, 3_600)]
        public int PollSec { get; set; } = 5;

        private string StatusText => PipelineStatusText.ToApiText(Status);

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
                var reading = MaintenanceJournal.Read(path);
                foreach (var problem in reading.Problems)
                {
                    WriteWarning($"Journal '{path}': {problem}");
                }

                _journalEntries = reading.Entries;
                WriteVerbose($"The journal '{path}' lists {_journalEntries.Count} pipeline(s).");
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException)
            {
                ThrowTerminatingError(EnosErrorRecords.ForJournal(exception, path, onlyReading: true));
            }
        }

        private protected override IEnumerable<PipelineTarget> CurrentTargets() =>
            _journalEntries == null
                ? base.CurrentTargets()
                : _journalEntries.Select(entry => new PipelineTarget(entry.PipelineId, entry.OrgId ?? OrgId ?? Connection.OrgId,
                    new Pipeline { PipelineId = entry.PipelineId, Name = entry.Name, OrgId = entry.OrgId }));

        protected override void EndProcessing()
        {
            if (Targets.Count == 0)
            {
                return;
            }

            var activity = $"Waiting for {Targets.Count} pipeline(s) to be {StatusText}";
            WriteVerbose($"{activity}: polling the listing every {PollSec} s for at most {TimeoutSec} s.");
            var waiter = new PipelineWaiter(Client);
            Await(waiter.WaitAsync(Targets.Keys, Status, TimeSpan.FromSeconds(TimeoutSec), TimeSpan.FromSeconds(PollSec),
                outcome =>
                {
                    _decided[(outcome.OrgId, outcome.PipelineId)] = outcome;
                    Pump.Post(() => Report(outcome));
                },
                progress => Pump.Post(() => ShowProgress(activity, progress)),
                StopToken));
            WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
            SummaryLine.Write(this, $"{_reached} reached {StatusText}, {_failed} failed, {_timedOut} timed out.");
        }

        private void ShowProgress(string activity, WaitProgress progress)
        {
            var counts = $"{progress.Reached} reached, {progress.Failed} failed, {progress.Waiting} waiting";
            WriteVerbose($"Poll {progress.Poll} ({progress.Calls} listing page(s)): {counts}.");
            var left = TimeoutSec - (int)progress.Elapsed.TotalSeconds;
            WriteProgress(new ProgressRecord(1, activity, counts)
            {
                PercentComplete = progress.Total == 0 ? 100 : 100 * (progress.Reached + progress.Failed) / progress.Total,
                SecondsRemaining = Math.Max(0, left),
            });
        }

        private void Report(WaitOutcome outcome)
        {
            var target = Targets[(outcome.OrgId, outcome.PipelineId)];
            switch (outcome.Result)
            {
                case WaitResult.Reached:
                    _reached++;
                    WriteObject(outcome.Last);
                    break;
                case WaitResult.Failed:
                    _failed++;
                    WriteError(WaitErrorRecords.ForFailed(Describe(target, outcome), outcome.PipelineId, outcome.LastStatus!, StatusText));
                    break;
                case WaitResult.TimedOut:
                    _timedOut++;
                    WriteError(WaitErrorRecords.ForTimedOut(Describe(target, outcome), outcome.PipelineId, outcome.LastStatus, StatusText, TimeoutSec));
                    break;
                case WaitResult.NotListed:
                    _failed++;
                    WriteError(ErrorFor(new PipelineNotListedException(outcome.PipelineId, outcome.OrgId), "wait for", target));
                    break;
                default:
                    // Cancelled: told once, in OnEnding.
                    break;
            }
        }

        private static string Describe(PipelineTarget target, WaitOutcome outcome) =>
            Pipeline.Describe(target.PipelineId, target.Name ?? outcome.Last?.Name);

        /// <summary>After Ctrl+C: names what was still waiting, with the status last seen.</summary>
        private protected override void OnEnding(bool stoppedByUser)
        {
            if (!stoppedByUser || Targets.Count == 0)
            {
                return;
            }

            var still = Targets
                .Where(pair => !_decided.TryGetValue(pair.Key, out var outcome) || outcome.Result == WaitResult.Cancelled)
                .Select(pair => _decided.TryGetValue(pair.Key, out var outcome) && outcome.LastStatus != null
                    ? $"{pair.Value.PipelineId} ({outcome.LastStatus})"
                    : pair.Value.PipelineId)
                .ToList();
            if (still.Count > 0)
            {
                WarnAfterStop($"{StopCause(stoppedByUser)} while {still.Count} pipeline(s) were not yet {StatusText}: {string.Join(", ", still)}.");
            }
        }
    }
}
