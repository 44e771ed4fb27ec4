using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Bulk;
using EnOS.Streaming.Commands;
using EnOS.Streaming.Errors;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>The bulk engine's plain parts: its counts and closing lines, its ledger, its progress.</summary>
    public sealed class BulkEngineTests
    {
        private static readonly ActionWording Pause = new ActionWording("pause", "paused", "Pausing", "Pause", PipelineStatus.Paused);

        [Theory]
        [InlineData(true, true, 0)]   // a start's system pipelines go first
        [InlineData(false, true, 1)]  // its user pipelines wait for them
        [InlineData(false, false, 0)] // a pause's user pipelines go first
        [InlineData(true, false, 1)]  // its system pipelines last
        public void System_pipelines_start_first_and_pause_last(bool isSystem, bool systemPipelinesFirst, int phase) =>
            Assert.Equal(phase, PipelineActionCmdlet.PhaseOf(isSystem, systemPipelinesFirst));

        [Fact]
        public void Every_item_received_is_accounted_for_once()
        {
            var counts = new BulkCounts();
            for (var i = 0; i < 7; i++)
            {
                counts.OnReceived();
            }

            counts.OnSucceeded("paused");
            counts.OnSucceeded("paused");
            counts.OnSucceeded("already paused");
            counts.OnFailed();
            counts.OnSkipped();
            counts.OnRepeated();
            Assert.Equal(1, counts.Open);

            counts.OnFailed();
            Assert.Equal(0, counts.Open);
            Assert.Equal(counts.Received, counts.Succeeded + counts.Failed + counts.Skipped + counts.Repeated);
            Assert.Equal(2, counts.Of("paused"));
            Assert.Equal(0, counts.Of("resumed"));
        }

        [Fact]
        public void The_closing_line_of_an_action_counts_what_changed_failed_and_was_already_so()
        {
            var counts = Counted(("paused", 6), ("already paused", 2));
            counts.OnReceived();
            counts.OnFailed();
            Assert.Equal("6 paused, 1 failed, 2 already paused", Pause.Summary(counts));

            counts.OnReceived(2);
            counts.OnSkipped();
            counts.OnRepeated();
            Assert.Equal("6 paused, 1 failed, 2 already paused, 1 skipped (-WhatIf or not confirmed), 1 repeated in the input (handled once)",
                Pause.Summary(counts));
        }

        [Fact]
        public void A_release_and_an_offset_reset_are_never_already_done()
        {
            var release = new ActionWording("release", "released", "Releasing", "Release", PipelineStatus.Published);
            var reset = new ActionWording("reset the offset of", "reset", "Resetting offsets of", "Reset", PipelineStatus.Unknown, keepsStatus: true);
            Assert.Equal("3 released, 0 failed", release.Summary(Counted(("released", 3))));
            Assert.Equal("0 reset, 0 failed", reset.Summary(new BulkCounts()));
        }

        [Fact]
        public void The_closing_line_of_a_save_ends_with_a_full_stop()
        {
            var counts = Counted(("saved", 2), ("created", 1), ("unchanged", 4));
            counts.OnReceived();
            counts.OnSkipped();
            Assert.Equal("2 saved, 1 created, 4 unchanged, 0 failed, 1 skipped (-WhatIf or not confirmed).", DefinitionSaveCmdlet.SummaryOf(counts, creating: false));
            Assert.Equal("1 created, 0 failed, 1 skipped (-WhatIf or not confirmed).", DefinitionSaveCmdlet.SummaryOf(counts, creating: true));
        }

        [Fact]
        public void After_a_stop_the_ledger_tells_accepted_refused_and_unknown_apart()
        {
            var ledger = new BulkLedger<string, bool>();
            ledger.Sent("accepted", Task.FromResult(true));
            ledger.Sent("refused", Task.FromException<bool>(new EnosApiException(61100, "busy", null, "pause pipeline 'pl-2'")));
            ledger.Sent("no answer", Task.FromCanceled<bool>(new CancellationToken(true)));
            ledger.Sent("reported", Task.FromResult(true));
            ledger.Reported("reported");

            var settled = ledger.Settle(hurry: true, TimeSpan.Zero).ToDictionary(request => request.Item, request => request.Outcome);

            Assert.Equal(3, settled.Count);
            Assert.Equal(UnreportedOutcome.Completed, settled["accepted"]);
            Assert.Equal(UnreportedOutcome.Refused, settled["refused"]);
            Assert.Equal(UnreportedOutcome.Unknown, settled["no answer"]);
            Assert.Equal(0, ledger.Count);
        }

        [Fact]
        public void The_object_being_written_counts_as_reported_when_a_later_command_stopped_but_not_on_ctrl_c()
        {
            var ledger = new BulkLedger<string, bool>();
            ledger.Sent("taken", Task.FromResult(true));
            ledger.Writing = "taken";
            Assert.Empty(ledger.Settle(hurry: false, TimeSpan.FromSeconds(1)));

            ledger.Sent("taken", Task.FromResult(true));
            Assert.Single(ledger.Settle(hurry: true, TimeSpan.Zero));
        }

        [Fact]
        public void A_short_run_shows_no_progress_and_a_long_one_fills_the_bar()
        {
            var counts = new BulkCounts();
            var progress = new BulkProgress("Pausing");
            progress.KnowTotal(5);
            counts.OnReceived(5);
            counts.OnSucceeded("paused");
            Assert.Null(progress.Next(counts, "pipeline 'pl-1'", inFlight: 0));
            Assert.Null(progress.Done());

            progress = new BulkProgress("Pausing");
            progress.KnowTotal(20);
            counts = Counted(("paused", 4));
            counts.OnReceived(16);
            var record = progress.Next(counts, "pipeline 'pl-4'", inFlight: 0);
            Assert.NotNull(record);
            Assert.Equal("Pausing pipelines", record!.Activity);
            Assert.Equal("Pausing 4 of 20", record.StatusDescription);
            Assert.Equal(20, record.PercentComplete);
            Assert.Equal(ProgressRecordType.Completed, progress.Done()!.RecordType);
        }

        [Fact]
        public void Piped_input_shows_what_is_known_until_it_ends()
        {
            var progress = new BulkProgress("Saving");
            var counts = Counted(("saved", 7));
            counts.OnReceived(3);
            // With nothing in flight the bar is drawn at once (a redraw waits only while requests run).
            Assert.Equal("Saving: 7 done, 0 in flight, 10 received so far", progress.Next(counts, "x", inFlight: 0)!.StatusDescription);
        }

        [Fact]
        public void The_error_catalogue_gives_each_record_its_stable_id_and_category()
        {
            var invalid = EnosErrorRecords.ForInvalidPipelineId("pl 1", "The id 'pl 1' contains a space.");
            Assert.Equal(EnosErrorRecords.InvalidPipelineId, invalid.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, invalid.CategoryInfo.Category);
            Assert.Equal("pl 1", invalid.TargetObject);

            var org = EnosErrorRecords.ForInvalidOrgId("pl-1", "The organisation id is empty.");
            Assert.Equal("EnosInvalidArgument", org.FullyQualifiedErrorId);

            var missing = EnosErrorRecords.ForMissingPipelineIds("Suspend-EnosPipeline");
            Assert.Equal("EnosInvalidArgument", missing.FullyQualifiedErrorId);
            Assert.Contains("-PipelineId", missing.ErrorDetails.RecommendedAction, StringComparison.Ordinal);

            var twins = EnosErrorRecords.ForDuplicateDefinitions("pl-1", new[]
            {
                new PipelineDefinition { PipelineId = "pl-1", Name = "a" },
                new PipelineDefinition { PipelineId = "pl-1", Name = "b" },
            });
            Assert.Equal("EnosDuplicateDefinition", twins.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, twins.CategoryInfo.Category);
        }

        private static BulkCounts Counted(params (string Outcome, int Count)[] outcomes)
        {
            var counts = new BulkCounts();
            foreach (var (outcome, count) in outcomes)
            {
                for (var i = 0; i < count; i++)
                {
                    counts.OnReceived();
                    counts.OnSucceeded(outcome);
                }
            }

            return counts;
        }
    }
}
