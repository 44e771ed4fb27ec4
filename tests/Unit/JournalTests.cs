using System;
using System.IO;
using System.Linq;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public sealed class JournalTests : IDisposable
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), $"enos-journal-{Guid.NewGuid():N}.jsonl");
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);

        public void Dispose() => File.Delete(_path);

        private void Write(params (string Action, string Id)[] lines)
        {
            using var journal = MaintenanceJournal.Open(_path);
            foreach (var (action, id) in lines)
            {
                journal.Append(action, "o1", id, "name-" + id, ExecutionMode.Cluster, Now);
            }
        }

        [Fact]
        public void Pending_is_what_was_paused_or_whose_pause_has_no_outcome_and_not_yet_resumed_once_each()
        {
            Write((JournalAction.Pausing, "a"), (JournalAction.Paused, "a"),
                (JournalAction.Pausing, "b"), (JournalAction.Unchanged, "b"),
                (JournalAction.Pausing, "c"), // killed before the answer
                (JournalAction.Pausing, "d"), (JournalAction.Paused, "d"), (JournalAction.Resumed, "d"));
            Write((JournalAction.Pausing, "a"), (JournalAction.Unchanged, "a"), // a re-run finds it already paused
                (JournalAction.Pausing, "e"), (JournalAction.Paused, "e"));

            var pending = MaintenanceJournal.ReadPending(_path, out var unreadable);

            Assert.Equal(new[] { "c", "e" }, pending.Select(p => p.PipelineId));
            Assert.Equal(0, unreadable);
            Assert.Equal(ExecutionMode.Cluster, pending[1].ExecutionMode);
            Assert.Equal("o1", pending[1].OrgId);
            Assert.Equal("name-e", pending[1].Name);
        }

        [Fact]
        public void A_paused_line_alone_is_pending()
        {
            Write((JournalAction.Pausing, "a"), (JournalAction.Paused, "a"));

            Assert.Single(MaintenanceJournal.ReadPending(_path, out _));
        }

        [Fact]
        public void Opening_appends_and_a_line_cut_off_by_a_kill_does_not_swallow_the_next()
        {
            Write((JournalAction.Pausing, "a"), (JournalAction.Paused, "a"));
            File.AppendAllText(_path, "{\"time\":\"2026-11-27T03:00:00.000Z\",\"action\":\"pau");
            Write((JournalAction.Pausing, "b"), (JournalAction.Paused, "b"));

            var pending = MaintenanceJournal.ReadPending(_path, out var unreadable);

            Assert.Equal(new[] { "a", "b" }, pending.Select(p => p.PipelineId));
            Assert.Equal(1, unreadable);
            Assert.Equal(5, File.ReadAllLines(_path).Length);
        }
    }
}
