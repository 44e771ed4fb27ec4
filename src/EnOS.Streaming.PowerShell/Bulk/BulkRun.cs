using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Commands;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Threading;

namespace EnOS.Streaming.Bulk
{
    /// <summary>
    /// The one engine of every command that sends a request per input item: requests on tasks up to
    /// -ThrottleLimit, every write on the pipeline thread; each item ends as one result or one error
    /// record (<see cref="BulkCounts"/>); one progress bar and closing line; a ledger of what was sent
    /// and not reported, named when the command is ended early; credentials refused mid-run end it
    /// once what is in flight is reported.
    /// </summary>
    /// <remarks>
    /// Work runs in two phases: the input starts phase 0, <see cref="Defer"/> holds work for phase 1,
    /// which starts once phase 0 is reported and <see cref="AfterPhase"/> has had its successes.
    /// </remarks>
    /// <param name="command">Names and reports the items (usually <paramref name="cmdlet"/> itself).</param>
    internal sealed class BulkRun<TItem, TResult>(EnosCmdlet cmdlet, IBulkCommand<TItem, TResult> command, BulkWording wording, int throttleLimit)
        where TItem : class
    {
        private readonly EnosCmdlet _cmdlet = cmdlet;
        private readonly IBulkCommand<TItem, TResult> _command = command;
        private readonly BulkLedger<TItem, TResult> _ledger = new BulkLedger<TItem, TResult>();
        private readonly BulkProgress _progress = new BulkProgress(wording.Progressive);
        private readonly HashSet<string> _admitted = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<Action> _deferred = new List<Action>();
        private readonly List<(TItem Item, TResult Result)> _succeeded = new List<(TItem Item, TResult Result)>();
        private EnosApiException? _credentialsRefused;
        private bool _ending;
        private int _neverGotTurn;

        public BulkCounts Counts { get; } = new BulkCounts();

        /// <summary>Ending on an error (-ErrorAction Stop, credentials refused): nothing new is sent, later failures only warned of.</summary>
        public bool Ending => _ending || _credentialsRefused != null;

        /// <summary>
        /// Called once a phase is reported, with what succeeded in it: for an end-of-run step such as
        /// -Wait. It may write.
        /// </summary>
        public Action<int, IReadOnlyList<(TItem Item, TResult Result)>>? AfterPhase { get; set; }

        private PipelineThreadPump Pump => _cmdlet.Pump;

        /// <summary>The number of items, when every one is bound before the first is sent (-PipelineId $ids), so progress can fill.</summary>
        public void KnowTotal(int? count) => _progress.KnowTotal(count);

        /// <summary>Runs a ProcessRecord body, then handles what finished meanwhile; a stop names what was sent and not reported.</summary>
        public void Process(Action body) => Guard(() =>
        {
            body();
            Pump.HandleReady();
        });

        /// <summary>Counts one input item; false (with a verbose line) when <paramref name="key"/> came before: each is handled once.</summary>
        public bool Admit(string? key = null, string? description = null)
        {
            Counts.OnReceived();
            if (key == null || _admitted.Add(key))
            {
                return true;
            }

            Counts.OnRepeated();
            _cmdlet.WriteVerbose($"{EnosCmdlet.Capitalised(description ?? key)} appears again in the input; it is handled once.");
            return false;
        }

        /// <summary>An admitted item that was not confirmed (-WhatIf, or the user said no).</summary>
        public void Skip() => Counts.OnSkipped();

        /// <summary><paramref name="count"/> items refused before anything was sent for them, in one error record.</summary>
        public void Reject(ErrorRecord record, int count = 1)
        {
            Counts.OnReceived(count);
            Counts.OnFailed(count);
            WriteError(record, null);
        }

        public void Defer(Action start) => _deferred.Add(start);

        public void Send(TItem item, Func<CancellationToken, Task<TResult>> request) =>
            _ledger.Sent(item, Pump.Start(request, finished => Complete(item, finished), throttleLimit));

        /// <summary>
        /// Reports an admitted item's failure (<paramref name="item"/> null: before there was one to
        /// send); false when the command is ending and it was only warned of.
        /// </summary>
        public bool Fail(TItem? item, Exception exception, ErrorRecord? record = null)
        {
            Counts.OnFailed();
            record ??= _command.ErrorFor(item!, exception);
            if (exception is EnosTransportException { NeverGotTurn: true })
            {
                _neverGotTurn++;
            }

            if (_credentialsRefused == null && !_ending && exception is EnosApiException api && api.IsAuthenticationFailure)
            {
                EndOnRefusedCredentials(item, api, record);
            }

            return WriteError(record, item);
        }

        /// <summary>After the input: runs the phases, reports every request, closes the progress bar and writes the closing line (none under -WhatIf).</summary>
        public void End(Func<BulkCounts, string>? summary)
        {
            _progress.OnInputEnded();
            Guard(() =>
            {
                var handedOver = 0; // successes already given to AfterPhase: those of phase 0
                for (var phase = 0; ; phase++)
                {
                    Pump.WaitForAll();
                    var succeeded = _succeeded.Skip(handedOver).ToList();
                    handedOver += succeeded.Count;
                    AfterPhase?.Invoke(phase, succeeded);
                    if (phase > 0 || _deferred.Count == 0 || Ending)
                    {
                        break;
                    }

                    foreach (var start in _deferred)
                    {
                        start();
                    }

                    Pump.HandleReady();
                }
            });

            var done = _progress.Done();
            if (done != null)
            {
                _cmdlet.WriteProgress(done);
            }

            if (summary != null)
            {
                SummaryLine.Write(_cmdlet, summary(Counts));
            }

            if (_neverGotTurn > 0)
            {
                _cmdlet.WriteWarning($"{_neverGotTurn} start{(_neverGotTurn == 1 ? string.Empty : "s")} never got a turn: the organisation stayed busy starting "
                                     + "another pipeline (EnOS 61121) for all of -TimeoutSec. Each has its own error; run the command again for them later.");
            }
        }

        /// <summary>Ended from outside while not running (Ctrl+C in another command's turn, an error elsewhere): every change applied must still be told.</summary>
        public void OnEnding(bool stoppedByUser) =>
            ReportUnreported(stoppedByUser, stoppedByUser ? null : "The command was ended by an error elsewhere in the pipeline");

        /// <summary>
        /// Warns of the items sent and not reported, if any. A later command's stop lets their
        /// requests finish first, so the account is exact; Ctrl+C (<paramref name="userStop"/>) does not wait.
        /// </summary>
        private void ReportUnreported(bool userStop, string? why)
        {
            var count = _ledger.Count - (!userStop && _ledger.Writing != null ? 1 : 0);
            var settled = _ledger.Settle(hurry: userStop, _cmdlet.Timeout);
            if (settled.Count == 0)
            {
                return;
            }

            string Named(Func<(TItem Item, UnreportedOutcome Outcome, TResult Result), bool> which) =>
                string.Join(", ", settled.Where(which).Select(request => _command.Identify(request.Item)));
            var changed = Named(request => request.Outcome == UnreportedOutcome.Completed && _command.Changed(request.Item, request.Result));
            var unknown = Named(request => request.Outcome == UnreportedOutcome.Unknown);
            var unchanged = Named(request => request.Outcome == UnreportedOutcome.Refused
                                             || (request.Outcome == UnreportedOutcome.Completed && !_command.Changed(request.Item, request.Result)));
            why ??= EnosCmdlet.StopCause(userStop);
            _cmdlet.WarnAfterStop($"{why} before {_cmdlet.MyInvocation.MyCommand.Name} reported {count} {wording.Items}."
                                  + (changed.Length > 0 ? $" {wording.Accepted} but not reported: {changed}." : string.Empty)
                                  + (unknown.Length > 0 ? $" May have been {wording.PastTense}: {unknown} (check with {wording.CheckWith})." : string.Empty)
                                  + (unchanged.Length > 0 ? $" Not changed: {unchanged}." : string.Empty));
        }

        private void Guard(Action body)
        {
            try
            {
                body();
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C cancels the command's token (StopProcessing); Select-Object -First does not.
                ReportUnreported(_cmdlet.StopToken.IsCancellationRequested, null);
                throw;
            }
        }

        private void Complete(TItem item, Task<TResult> finished)
        {
            if (finished.IsCanceled)
            {
                // Only the command's own stop cancels: the report of unreported requests names it.
                return;
            }

            if (finished.IsFaulted)
            {
                if (!Fail(item, finished.Exception!.GetBaseException()))
                {
                    // Only warned of: the command is ending on an earlier error.
                    return;
                }
            }
            else
            {
                // Select-Object -First takes the object, then throws through the write.
                _ledger.Writing = item;
                var outcome = _command.Report(item, finished.Result);
                _ledger.Writing = null;
                _ledger.Reported(item);
                Counts.OnSucceeded(outcome);
                _succeeded.Add((item, finished.Result));
            }

            var progress = _progress.Next(Counts, _command.Describe(item), Pump.InFlight);
            if (progress != null)
            {
                _cmdlet.WriteProgress(progress);
            }
        }

        /// <summary>No further item can succeed: reports what is in flight (some may have been accepted), then ends the command.</summary>
        private void EndOnRefusedCredentials(TItem? item, EnosApiException api, ErrorRecord record)
        {
            _credentialsRefused = api;
            if (!_cmdlet.ErrorsStop())
            {
                Reported(item);
                _cmdlet.WriteError(record);
            }
            else
            {
                // The terminating error below is this item's: later failures become warnings.
                _ending = true;
            }

            _cmdlet.WriteVerbose($"EnOS refused the credentials; reporting the {Pump.InFlight} request(s) still in flight, then ending.");
            Pump.WaitForAll();
            _cmdlet.ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api, _ending && item != null ? _command.Identify(item) : null));
        }

        /// <summary>
        /// Writes one item's error, or once the command is ending, a warning (and returns false). The
        /// first error under -ErrorAction Stop waits for what was sent, which may have changed something.
        /// </summary>
        private bool WriteError(ErrorRecord record, TItem? item)
        {
            if (!_ending && _cmdlet.ErrorsStop())
            {
                _ending = true;
                Pump.WaitForAll();
            }
            else if (_ending)
            {
                Reported(item);
                _cmdlet.WriteWarning($"Also failed: {record}");
                return false;
            }

            Reported(item);
            _cmdlet.WriteError(record);
            return true;
        }

        private void Reported(TItem? item)
        {
            if (item != null)
            {
                _ledger.Reported(item);
            }
        }
    }
}
