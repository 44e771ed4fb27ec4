using System;
using System.Diagnostics;
using System.Management.Automation;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// A state-changing command's counts (received, done, failed, already so, skipped, repeated)
    /// and what it shows of them: the progress bar for long runs and the closing summary line.
    /// </summary>
    internal sealed class ActionProgress
    {
        // Progress appears once a run is longer than this, and is redrawn at most this often.
        private const int Threshold = 5;
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

        private readonly Stopwatch _sinceShown = Stopwatch.StartNew();
        private readonly int _activityId = new Random().Next(1, int.MaxValue);
        private readonly string _progressive;
        private int? _argumentCount;
        private bool _inputEnded;
        private bool _shown;

        public ActionProgress(string progressive)
        {
            _progressive = progressive;
        }

        public int Received { get; private set; }
        public int Completed { get; private set; }
        public int Failed { get; private set; }
        public int Skipped { get; private set; }
        public int Duplicates { get; private set; }
        public int AlreadyInState { get; private set; }

        public void OnReceived() => Received++;
        public void OnDuplicate() => Duplicates++;
        public void OnSkipped() => Skipped++;
        public void OnCompleted() => Completed++;
        public void OnFailed() => Failed++;
        public void OnAlreadyInState() => AlreadyInState++;

        /// <summary>-PipelineId $ids: every id is bound before the first is sent, so the bar can fill.</summary>
        public void KnowTotal(int? argumentCount) => _argumentCount = argumentCount;

        public void OnInputEnded() => _inputEnded = true;

        /// <summary>The progress record to write after a pipeline is done, or null when none is due.</summary>
        public ProgressRecord? Next(string currentOperation, int inFlight)
        {
            // The total is known from the start when the ids were given as an argument, and
            // otherwise once the piped input has ended; until then, say what is known.
            var total = _inputEnded ? Received : _argumentCount;
            if ((total ?? Received) <= Threshold || (_sinceShown.Elapsed < Interval && inFlight > 0))
            {
                return null;
            }

            _sinceShown.Restart();
            _shown = true;
            var done = Completed + Skipped + Duplicates;
            var record = new ProgressRecord(_activityId, $"{_progressive} pipelines",
                total.HasValue
                    ? $"{_progressive} {done} of {total}"
                    : $"{_progressive}: {done} done, {inFlight} in flight, {Received} received so far")
            {
                CurrentOperation = currentOperation,
            };
            if (total > 0)
            {
                record.PercentComplete = Math.Min(100, done * 100 / total.Value);
            }

            return record;
        }

        /// <summary>Closes the bar, if one was shown.</summary>
        public ProgressRecord? Done() =>
            _shown ? new ProgressRecord(_activityId, $"{_progressive} pipelines", "Done") { RecordType = ProgressRecordType.Completed } : null;

        /// <summary>
        /// The line that sums up the run, written whatever the count: "6 paused, 0 failed, 2 already
        /// paused". An offset reset (the status stays) and a release (sent whatever the status) are
        /// never "already" done, so their line has no such count.
        /// </summary>
        public string Summary(ActionWording wording)
        {
            var line = $"{Completed - Failed - AlreadyInState} {wording.PastTense}, {Failed} failed";
            if (!wording.KeepsStatus && wording.TargetStatus != PipelineStatus.Published)
            {
                line += $", {AlreadyInState} already {PipelineStatusText.ToApiText(wording.TargetStatus).ToLowerInvariant()}";
            }

            return line
                   + (Skipped > 0 ? $", {Skipped} skipped (-WhatIf or not confirmed)" : string.Empty)
                   + (Duplicates > 0 ? $", {Duplicates} repeated in the input (handled once)" : string.Empty);
        }
    }
}
