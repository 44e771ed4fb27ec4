using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Bulk;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Waiting;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Waiting for a status, shared by Wait-EnosPipeline and the -Wait of the state changes: poll
    /// the listing (one set of pages per poll for the whole set), write each pipeline as soon as it
    /// is listed in the status, one error record for each that fails or is still elsewhere at the
    /// timeout, a progress bar, and one closing line.
    /// </summary>
    public abstract partial class PipelineTargetCmdlet
    {
        // Filled on the polling task, read by OnEnding after a stop (when posted writes no longer run).
        private readonly ConcurrentDictionary<(string OrgId, string PipelineId), WaitOutcome> _decided =
            new ConcurrentDictionary<(string OrgId, string PipelineId), WaitOutcome>();
        private IReadOnlyDictionary<(string OrgId, string PipelineId), PipelineTarget>? _waitingFor;
        private PipelineStatus _waitStatus;

        private string WaitStatusText => PipelineStatusText.ToApiText(_waitStatus);

        /// <summary>
        /// Waits until <paramref name="targets"/> are listed in <paramref name="status"/>; returns when each is decided, with
        /// those that reached it. <paramref name="quiet"/>: a wait the command needs for itself (a start's system pipelines
        /// before its user pipelines), which writes no objects, and warnings instead of error records.
        /// </summary>
        private protected ISet<(string OrgId, string PipelineId)> WaitForStatus(IReadOnlyDictionary<(string OrgId, string PipelineId), PipelineTarget> targets,
            PipelineStatus status, int timeoutSec, int pollSec, bool quiet = false)
        {
            var reached = new HashSet<(string OrgId, string PipelineId)>();
            if (targets.Count == 0)
            {
                return reached;
            }

            _waitingFor = targets;
            _waitStatus = status;
            var counts = new int[2]; // failed, timed out
            var activity = $"Waiting for {targets.Count} pipeline(s) to be {WaitStatusText}";
            WriteVerbose($"{activity}: polling the listing every {pollSec} s for at most {timeoutSec} s.");
            var waiter = new PipelineWaiter(Client);
            Await(waiter.WaitAsync(targets.Keys, status, TimeSpan.FromSeconds(timeoutSec), TimeSpan.FromSeconds(pollSec),
                outcome =>
                {
                    _decided[(outcome.OrgId, outcome.PipelineId)] = outcome;
                    Pump.Post(() => ReportWaited(outcome, counts, timeoutSec, quiet, reached));
                },
                progress => Pump.Post(() => ShowWaitProgress(activity, progress, timeoutSec)),
                StopToken));
            WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
            SummaryLine.Write(this, $"{reached.Count} reached {WaitStatusText}, {counts[0]} failed, {counts[1]} timed out.");
            return reached;
        }

        private void ShowWaitProgress(string activity, WaitProgress progress, int timeoutSec)
        {
            var counts = $"{progress.Reached} reached, {progress.Failed} failed, {progress.Waiting} waiting";
            WriteVerbose($"Poll {progress.Poll} ({progress.Calls} listing page(s)): {counts}.");
            WriteProgress(new ProgressRecord(1, activity, counts)
            {
                PercentComplete = progress.Total == 0 ? 100 : 100 * (progress.Reached + progress.Failed) / progress.Total,
                SecondsRemaining = Math.Max(0, timeoutSec - (int)progress.Elapsed.TotalSeconds),
            });
        }

        private void ReportWaited(WaitOutcome outcome, int[] counts, int timeoutSec, bool quiet, HashSet<(string OrgId, string PipelineId)> reached)
        {
            var target = _waitingFor![(outcome.OrgId, outcome.PipelineId)];
            var described = Pipeline.Describe(target.PipelineId, target.Name ?? outcome.Last?.Name);
            Action<ErrorRecord> fail = quiet ? record => WriteWarning(record.ToString()) : (Action<ErrorRecord>)WriteError;
            switch (outcome.Result)
            {
                case WaitResult.Reached:
                    reached.Add((outcome.OrgId, outcome.PipelineId));
                    if (!quiet)
                    {
                        WriteObject(outcome.Last);
                    }

                    break;
                case WaitResult.Failed:
                    counts[0]++;
                    fail(EnosErrorRecords.ForFailedWait(described, outcome.PipelineId, outcome.LastStatus!, WaitStatusText));
                    break;
                case WaitResult.TimedOut:
                    counts[1]++;
                    fail(EnosErrorRecords.ForTimedOutWait(described, outcome.PipelineId, outcome.LastStatus, WaitStatusText, timeoutSec));
                    break;
                case WaitResult.NotListed:
                    counts[0]++;
                    fail(ErrorFor(new PipelineNotListedException(outcome.PipelineId, outcome.OrgId), "wait for", target));
                    break;
                default:
                    // Cancelled: told once, in OnEnding.
                    break;
            }
        }

        /// <summary>After Ctrl+C during a wait: names what was still waiting, with the status last seen.</summary>
        private protected override void OnEnding(bool stoppedByUser)
        {
            if (!stoppedByUser || _waitingFor == null)
            {
                return;
            }

            var still = _waitingFor
                .Where(pair => !_decided.TryGetValue(pair.Key, out var outcome) || outcome.Result == WaitResult.Cancelled)
                .Select(pair => _decided.TryGetValue(pair.Key, out var outcome) && outcome.LastStatus != null
                    ? $"{pair.Value.PipelineId} ({outcome.LastStatus})"
                    : pair.Value.PipelineId)
                .ToList();
            if (still.Count > 0)
            {
                WarnAfterStop($"{StopCause(stoppedByUser)} while {still.Count} pipeline(s) were not yet {WaitStatusText}: {string.Join(", ", still)}.");
            }
        }
    }
}
