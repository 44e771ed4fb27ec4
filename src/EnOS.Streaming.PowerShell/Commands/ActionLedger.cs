using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// A state-changing command's account of its pipelines: each one handled once, and each
    /// request sent kept until its pipeline is reported, so that a run PowerShell ends early
    /// (Ctrl+C, Select-Object -First) can still say what changed, what may have, and what did not.
    /// </summary>
    internal sealed class ActionLedger
    {
        private readonly ActionWording _wording;
        private readonly HashSet<string> _handled = new HashSet<string>(StringComparer.Ordinal);
        private readonly UnreportedRequests<PipelineTarget, (StateChange Change, Pipeline? Output)> _unreported =
            new UnreportedRequests<PipelineTarget, (StateChange Change, Pipeline? Output)>();

        public ActionLedger(ActionWording wording)
        {
            _wording = wording;
        }

        /// <summary>The pipeline whose object is being written: Select-Object -First takes it, then stops the command.</summary>
        public PipelineTarget? Writing { get; set; }

        /// <summary>False for a pipeline the input named before: it gets no second request or result.</summary>
        public bool FirstMention(PipelineTarget target) => _handled.Add(target.OrgId + "\n" + target.PipelineId);

        public void Sent(PipelineTarget target, Task<(StateChange Change, Pipeline? Output)> request) => _unreported.Add(target, request);

        /// <summary>The pipeline's result or error has been written (or is about to be).</summary>
        public void Reported(PipelineTarget target) => _unreported.Reported(target);

        /// <summary>
        /// After a stop: the warning that names the pipelines sent and not reported, or null when
        /// there are none. A downstream stop lets their requests finish first, so the report is
        /// exact; Ctrl+C (<paramref name="userStop"/>) does not wait.
        /// </summary>
        /// <param name="why">Who ended the command, when neither the user nor a later command did.</param>
        public string? InterruptedReport(bool userStop, TimeSpan timeout, string command, string? why = null)
        {
            if (!userStop && Writing != null)
            {
                // Select-Object took that object before it asked the upstream commands to stop.
                _unreported.Reported(Writing);
            }

            var count = _unreported.Count;
            if (count == 0)
            {
                return null;
            }

            var settled = _unreported.Settle(hurry: userStop, timeout);
            var changed = settled.Where(request => request.Outcome == UnreportedOutcome.Completed && request.Result.Change == StateChange.Applied)
                .Select(request => request.Key.PipelineId).ToList();
            var unknown = settled.Where(request => request.Outcome == UnreportedOutcome.Unknown).Select(request => request.Key.PipelineId).ToList();
            var unchanged = settled.Where(request => request.Outcome == UnreportedOutcome.Refused
                                                     || (request.Outcome == UnreportedOutcome.Completed && request.Result.Change != StateChange.Applied))
                .Select(request => request.Key.PipelineId).ToList();
            why ??= EnosCmdlet.WhoStopped(userStop);
            return $"{why} before {command} reported {count} pipeline(s) it had sent a request for."
                   + (changed.Count > 0 ? $" {EnosCmdlet.Capitalised(_wording.Verb)} accepted but not reported: {string.Join(", ", changed)}." : string.Empty)
                   + (unknown.Count > 0 ? $" May have been {_wording.PastTense}: {string.Join(", ", unknown)} (check with Get-EnosPipeline)." : string.Empty)
                   + (unchanged.Count > 0 ? $" Not changed: {string.Join(", ", unchanged)}." : string.Empty);
        }
    }
}
