using System;
using System.Collections.Generic;
using System.Linq;
using EnOS.Streaming.Journal;

namespace EnOS.Streaming
{
    /// <summary>What a journal's lines say of one pipeline: whether the way back must resume it, and since when it is paused.</summary>
    public sealed class JournalEntry
    {
        // The runs' "pausing" without an outcome yet, and when; Inert: listed paused or stopped before it, so not this window's.
        private readonly Dictionary<string, (DateTimeOffset? Time, bool Inert)> _open =
            new Dictionary<string, (DateTimeOffset? Time, bool Inert)>(StringComparer.Ordinal);

        private bool _paused;
        private DateTimeOffset? _pausedAt;
        private string? _settledAs;

        internal JournalEntry(string pipelineId, string? orgId)
        {
            PipelineId = pipelineId;
            OrgId = orgId;
        }

        public string PipelineId { get; }
        public string? Name { get; private set; }
        public string? OrgId { get; }

        /// <summary>The gateway of its latest line that names one (null in journals from before it was recorded).</summary>
        public string? Gateway { get; private set; }

        public ExecutionMode? ExecutionMode { get; private set; }

        /// <summary>paused, pausing (the outcome is unknown), unchanged or resumed: see <see cref="JournalAction"/>.</summary>
        public string State =>
            _paused ? JournalAction.Paused
            : _open.Values.Any(pause => !pause.Inert) ? JournalAction.Pausing
            : _settledAs ?? JournalAction.Unchanged;

        /// <summary>Whether Resume-EnosPipeline -JournalPath acts on it.</summary>
        public bool IsPending => State == JournalAction.Paused || State == JournalAction.Pausing;

        /// <summary>When this window paused it (or sent the pause whose outcome is unknown), by the journal's clock; null when not pending (or a hand-written line has no time).</summary>
        public DateTimeOffset? PausedSince => _paused ? _pausedAt : _open.Values.Where(pause => !pause.Inert).Min(pause => pause.Time);

        /// <summary>The time of its last line that has one.</summary>
        public DateTimeOffset? LastChange { get; private set; }

        internal void Apply(JournalLine line)
        {
            Name = line.Name ?? Name;
            Gateway = line.Gateway ?? Gateway;
            ExecutionMode = line.ExecutionMode ?? ExecutionMode;
            LastChange = line.Time ?? LastChange;
            var run = line.Run ?? string.Empty; // an older journal: one run at a time
            switch (line.Action)
            {
                case JournalAction.Pausing:
                    if (!_open.ContainsKey(run))
                    {
                        _open[run] = (line.Time, !JournalLine.CouldBePausedFrom(line.ListedStatus));
                    }

                    break;
                case JournalAction.Paused:
                    _open.Remove(run);
                    if (!_paused)
                    {
                        _paused = true;
                        _pausedAt = line.Time;
                    }

                    break;
                case JournalAction.Unchanged when !line.Acknowledged:
                    // This run's pause changed nothing: it cancels its own "pausing", never what an earlier run paused.
                    _open.Remove(run);
                    _settledAs = _paused ? _settledAs : JournalAction.Unchanged;
                    break;
                default:
                    // Resumed, or settled by hand: nothing is left to bring back.
                    _open.Clear();
                    _paused = false;
                    _pausedAt = null;
                    _settledAs = line.Action;
                    break;
            }
        }
    }
}
