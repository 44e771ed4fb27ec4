using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using EnOS.Streaming.Journal;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public sealed class JournalTests : IDisposable
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), $"enos-journal-{Guid.NewGuid():N}.jsonl");
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);

        public void Dispose() => File.Delete(_path);

        /// <summary>One run (one journal opened): its lines, each with the status the listing showed (null: named by id).</summary>
        private void Write(params (string Action, string Id)[] lines) => WriteListed(lines.Select(line => (line.Action, line.Id, (PipelineStatus?)null)).ToArray());

        private void WriteListed(params (string Action, string Id, PipelineStatus? Listed)[] lines)
        {
            using var journal = MaintenanceJournal.Open(_path, "gw.example:8443");
            foreach (var (action, id, listed) in lines)
            {
                journal.Append(action, "o1", id, "name-" + id, ExecutionMode.Cluster, Now, listed);
            }
        }

        private string[] Pending() => MaintenanceJournal.Read(_path).Pending.Select(entry => entry.PipelineId).ToArray();

        [Fact]
        public void Pending_is_what_was_paused_or_whose_pause_has_no_outcome_and_not_yet_resumed_once_each()
        {
            Write((JournalAction.Pausing, "a"), (JournalAction.Paused, "a"),
                (JournalAction.Pausing, "b"), (JournalAction.Unchanged, "b"),
                (JournalAction.Pausing, "c"), // killed before the answer
                (JournalAction.Pausing, "d"), (JournalAction.Paused, "d"), (JournalAction.Resumed, "d"));
            Write((JournalAction.Pausing, "a"), (JournalAction.Unchanged, "a"), // a re-run finds it already paused: still the window's
                (JournalAction.Pausing, "e"), (JournalAction.Paused, "e"));

            var reading = MaintenanceJournal.Read(_path);

            Assert.Equal(new[] { "a", "c", "e" }, reading.Pending.Select(p => p.PipelineId));
            Assert.Empty(reading.Problems);
            var e = reading.Pending[2];
            Assert.Equal(ExecutionMode.Cluster, e.ExecutionMode);
            Assert.Equal("o1", e.OrgId);
            Assert.Equal("name-e", e.Name);
            Assert.Equal("gw.example:8443", e.Gateway);
            Assert.Equal(new[] { "paused", "unchanged", "pausing", "resumed", "paused" }, reading.Entries.Select(entry => entry.State));
        }

        [Fact]
        public void A_pipeline_listed_paused_before_the_pause_is_never_pending_even_when_the_run_was_killed_before_the_answer()
        {
            WriteListed(("pausing", "was-paused", PipelineStatus.Paused), ("pausing", "was-running", PipelineStatus.Running));

            Assert.Equal(new[] { "was-running" }, Pending());
        }

        [Fact]
        public void Interleaved_runs_settle_only_their_own_pausing()
        {
            using (var first = MaintenanceJournal.Open(_path))
            using (var second = MaintenanceJournal.Open(_path))
            {
                first.Append("pausing", "o1", "p", null, null, Now);
                second.Append("pausing", "o1", "p", null, null, Now);
                first.Append("paused", "o1", "p", null, null, Now);
                second.Append("unchanged", "o1", "p", null, null, Now); // found it already paused

                first.Append("pausing", "o1", "q", null, null, Now);
                second.Append("pausing", "o1", "q", null, null, Now);
                second.Append("unchanged", "o1", "q", null, null, Now); // refused; the first run was killed
            }

            Assert.Equal(new[] { "p", "q" }, Pending());
            Assert.Equal(new[] { "paused", "pausing" }, MaintenanceJournal.Read(_path).Entries.Select(entry => entry.State));
        }

        [Fact]
        public void An_acknowledged_unchanged_settles_the_entry_whatever_came_before()
        {
            Write(("pausing", "a"), ("paused", "a"), ("pausing", "b"));
            using (var journal = MaintenanceJournal.Open(_path))
            {
                journal.Append("unchanged", "o1", "a", null, null, Now, acknowledged: true);
                journal.Append("unchanged", "o1", "b", null, null, Now, acknowledged: true);
            }

            Assert.Empty(Pending());
            Assert.All(MaintenanceJournal.Read(_path).Entries, entry => Assert.Equal("unchanged", entry.State));
        }

        [Fact]
        public void Paused_since_is_the_first_pause_of_the_window_and_empty_once_resumed()
        {
            using (var journal = MaintenanceJournal.Open(_path))
            {
                journal.Append("pausing", "o1", "a", null, null, Now);
                journal.Append("paused", "o1", "a", null, null, Now.AddSeconds(1));
                journal.Append("pausing", "o1", "a", null, null, Now.AddHours(2)); // a re-run
                journal.Append("unchanged", "o1", "a", null, null, Now.AddHours(2));
                journal.Append("pausing", "o1", "b", null, null, Now.AddMinutes(5));
                journal.Append("pausing", "o1", "c", null, null, Now);
                journal.Append("paused", "o1", "c", null, null, Now);
                journal.Append("resumed", "o1", "c", null, null, Now.AddHours(1));
            }

            var entries = MaintenanceJournal.Read(_path).Entries;

            Assert.Equal(Now.AddSeconds(1), entries[0].PausedSince);
            Assert.Equal(Now.AddMinutes(5), entries[1].PausedSince);
            Assert.Null(entries[2].PausedSince);
        }

        [Fact]
        public void An_old_journal_without_gateway_listed_status_or_run_reads_as_before()
        {
            File.WriteAllLines(_path, new[]
            {
                "{\"time\":\"2026-11-27T03:00:00.000Z\",\"action\":\"pausing\",\"pipelineId\":\"a\",\"name\":\"n\",\"orgId\":\"o1\",\"executionMode\":\"Standalone\"}",
                "{\"time\":\"2026-11-27T03:00:01.000Z\",\"action\":\"paused\",\"pipelineId\":\"a\",\"name\":\"n\",\"orgId\":\"o1\",\"executionMode\":\"Standalone\"}",
                "{\"time\":\"2026-11-27T03:00:00.000Z\",\"action\":\"pausing\",\"pipelineId\":\"b\",\"orgId\":\"o1\"}",
                "{\"time\":\"2026-11-27T03:00:01.000Z\",\"action\":\"unchanged\",\"pipelineId\":\"b\",\"orgId\":\"o1\"}",
            });

            var reading = MaintenanceJournal.Read(_path);

            var a = Assert.Single(reading.Pending);
            Assert.Equal("a", a.PipelineId);
            Assert.Null(a.Gateway);
            Assert.Equal(ExecutionMode.Standalone, a.ExecutionMode);
            Assert.Empty(reading.Problems);
        }

        [Fact]
        public void Lines_that_are_not_entries_are_named_by_line_number_and_the_rest_still_works()
        {
            Write(("pausing", "a"), ("paused", "a"));
            File.AppendAllText(_path, "not json at all\n"
                                      + "{\"action\":\"PAUSED\",\"pipelineId\":\"b\",\"orgId\":\"o1\"}\n"
                                      + "{\"action\":\"frozen\",\"pipelineId\":\"c\",\"orgId\":\"o1\"}\n"
                                      + "{\"action\":\"paused\"}\n"
                                      + "[1,2]\n");

            var reading = MaintenanceJournal.Read(_path);

            Assert.Equal(new[] { "a", "b" }, reading.Pending.Select(entry => entry.PipelineId));
            Assert.Equal(5, reading.Problems.Count);
            Assert.StartsWith("Line 3 is not JSON", reading.Problems[0], StringComparison.Ordinal);
            Assert.Contains("Line 4 (b) has the action 'PAUSED', read as 'paused'", reading.Problems[1], StringComparison.Ordinal);
            Assert.Contains("Line 5 (c) has the action 'frozen', which is none of pausing, paused, unchanged, resumed; it was skipped", reading.Problems[2], StringComparison.Ordinal);
            Assert.StartsWith("Line 6 names no pipeline", reading.Problems[3], StringComparison.Ordinal);
            Assert.StartsWith("Line 7 names no pipeline", reading.Problems[4], StringComparison.Ordinal);
        }

        [Fact]
        public void Appending_after_a_line_cut_off_by_a_kill_does_not_swallow_the_next()
        {
            Write((JournalAction.Pausing, "a"), (JournalAction.Paused, "a"));
            File.AppendAllText(_path, "{\"time\":\"2026-11-27T03:00:00.000Z\",\"action\":\"pau");
            Write((JournalAction.Pausing, "b"), (JournalAction.Paused, "b"));

            var reading = MaintenanceJournal.Read(_path);

            Assert.Equal(new[] { "a", "b" }, reading.Pending.Select(p => p.PipelineId));
            Assert.Single(reading.Problems);
            Assert.Equal(5, File.ReadAllLines(_path).Length);
        }

        [Fact]
        public void Two_journals_open_on_one_file_never_overwrite_each_other()
        {
            // Two handles with positions of their own, as two processes have: each line lands at the end.
            using (var first = MaintenanceJournal.Open(_path))
            using (var second = MaintenanceJournal.Open(_path))
            {
                Parallel.For(0, 200, i => (i % 2 == 0 ? first : second).Append("paused", "o1", "p" + i, null, null, Now));
            }

            var lines = File.ReadAllLines(_path);
            Assert.Equal(200, lines.Length);
            Assert.Equal(200, MaintenanceJournal.Read(_path).Pending.Count);
        }

        [Fact]
        public void Two_runspaces_appending_through_a_link_and_its_target_never_overwrite_each_other()
        {
            // fcntl locks are per process: within one process only the process's own lock keeps two
            // handles apart, and a link's path and its target's are two names for it. (Windows locks
            // per handle; there a link needs a privilege, so the test runs where links are free.)
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            var link = _path + ".link";
            File.WriteAllText(_path, string.Empty);
            File.CreateSymbolicLink(link, _path);
            try
            {
                using (var viaTarget = MaintenanceJournal.Open(_path))
                using (var viaLink = MaintenanceJournal.Open(link))
                {
                    Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 2 },
                        i => (i % 2 == 0 ? viaTarget : viaLink).Append("paused", "o1", "p" + i, null, null, Now));
                }

                Assert.Equal(400, File.ReadAllLines(_path).Length);
                Assert.Equal(400, MaintenanceJournal.Read(link).Pending.Count);
            }
            finally
            {
                File.Delete(link);
            }
        }

        [Fact]
        public void The_gateway_is_named_by_host_and_port_only()
        {
            Assert.Equal("apigw.example.com", MaintenanceJournal.GatewayName(new Uri("https://user:secret@apigw.example.com/path?q=1")));
            Assert.Equal("127.0.0.1:5123", MaintenanceJournal.GatewayName(new Uri("http://127.0.0.1:5123/")));
        }
    }
}
