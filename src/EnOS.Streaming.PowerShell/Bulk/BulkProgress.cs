using System;
using System.Diagnostics;
using System.Management.Automation;

namespace EnOS.Streaming.Bulk
{
    /// <summary>The progress bar of a long bulk run, drawn from its counts.</summary>
    internal sealed class BulkProgress(string progressive)
    {
        // Progress appears once a run is longer than this, and is redrawn at most this often.
        private const int Threshold = 5;
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

        private readonly Stopwatch _sinceShown = Stopwatch.StartNew();
        private readonly int _activityId = new Random().Next(1, int.MaxValue);
        private readonly string _activity = $"{progressive} pipelines";
        private readonly string _progressive = progressive;
        private int? _argumentCount;
        private bool _inputEnded;
        private bool _shown;

        /// <summary>-PipelineId $ids: every item is bound before the first is sent, so the bar can fill.</summary>
        public void KnowTotal(int? argumentCount) => _argumentCount = argumentCount;

        public void OnInputEnded() => _inputEnded = true;

        /// <summary>The progress record to write after an item is done, or null when none is due.</summary>
        public ProgressRecord? Next(BulkCounts counts, string currentOperation, int inFlight)
        {
            // Known from the start for an argument, else once the piped input has ended.
            var total = _inputEnded ? counts.Received : _argumentCount;
            if ((total ?? counts.Received) <= Threshold || (_sinceShown.Elapsed < Interval && inFlight > 0))
            {
                return null;
            }

            _sinceShown.Restart();
            _shown = true;
            var done = counts.Done;
            var record = new ProgressRecord(_activityId, _activity,
                total.HasValue
                    ? $"{_progressive} {done} of {total}"
                    : $"{_progressive}: {done} done, {inFlight} in flight, {counts.Received} received so far")
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
            _shown ? new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed } : null;
    }
}
