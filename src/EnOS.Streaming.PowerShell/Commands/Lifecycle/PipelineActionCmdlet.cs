using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Bulk;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>One pipeline's state change, ready to run off the pipeline thread.</summary>
    internal delegate Task<StateChange> PipelineAction(StreamingClient client, CancellationToken cancellationToken);

    /// <summary>
    /// The shape of every cmdlet that changes pipelines: ids or pipeline objects as input,
    /// ShouldProcess per pipeline, and the request for each run by the bulk engine
    /// (<see cref="BulkRun{TItem, TResult}"/>): concurrently up to -ThrottleLimit, one result or
    /// error record per pipeline, progress, the closing line; -PassThru writes each pipeline changed.
    /// </summary>
    public abstract class PipelineActionCmdlet : PipelineTargetCmdlet, IBulkCommand<PipelineTarget, (StateChange Change, Pipeline? Output)>
    {
        private readonly ConcurrentDictionary<PipelineTarget, string> _nameHints = new ConcurrentDictionary<PipelineTarget, string>();
        private BulkRun<PipelineTarget, (StateChange Change, Pipeline? Output)>? _run;

        // Ordering system pipelines: the ids of each organisation's user pipelines (null: unreadable),
        // the system pipelines a start sent first, how many pipelines were held for phase 1 and let go
        // then, and the system pipelines not RUNNING that stop a start's user pipelines.
        private readonly Dictionary<string, HashSet<string>?> _userPipelineIds = new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal);
        private readonly List<PipelineTarget> _systemSent = new List<PipelineTarget>();
        private int _held;
        private int _released;
        private IReadOnlyList<string>? _systemNotRunning;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>The action in words, for every message, prompt and progress line.</summary>
        private protected abstract ActionWording Wording { get; }

        private protected BulkRun<PipelineTarget, (StateChange Change, Pipeline? Output)> Run =>
            _run ??= new BulkRun<PipelineTarget, (StateChange Change, Pipeline? Output)>(this, this, Wording.Bulk, ThrottleLimit);

        /// <summary>
        /// The action for one pipeline. Called on the pipeline thread, so it must read the
        /// parameters now: by the time the returned action runs on a task, the binder may have
        /// bound the next input's values.
        /// </summary>
        private protected abstract PipelineAction CreateAction(PipelineTarget target);

        /// <summary>
        /// The status -Wait (a switch of each command but Reset) waits for, or null: the pipelines
        /// changed, and those already there, are written once the listing shows them in it, and a
        /// failed or timed-out one is an error record (<see cref="PipelineTargetCmdlet.WaitForStatus"/>).
        /// </summary>
        private PipelineStatus? WaitStatus => SwitchGiven("Wait") ? Wording.TargetStatus : (PipelineStatus?)null;

        /// <summary>How long -Wait waits, and how often it reads the listing: Wait-EnosPipeline's defaults.</summary>
        private const int WaitTimeoutSec = 300;
        private const int WaitPollSec = 5;

        /// <summary>Asks ShouldProcess; the irreversible actions override it for -Force.</summary>
        protected virtual bool Confirm(PipelineTarget target) => ShouldProcess(target.Description, Wording.ShouldProcess);

        /// <summary>
        /// Whether system pipelines (a message channel's data reader and writer, which its user
        /// pipelines need running) go first (an action to RUNNING: start, resume) or last (out of it:
        /// pause, stop); null where the order does not matter (release, offset reset). See <see cref="PhaseOf"/>.
        /// </summary>
        private bool? SystemPipelinesFirst => Wording.TargetStatus switch
        {
            PipelineStatus.Running => true,
            PipelineStatus.Paused or PipelineStatus.Stopped => false,
            _ => null,
        };

        protected override void ProcessRecord() => Run.Process(() =>
        {
            foreach (var target in UsableTargets())
            {
                if (!Run.Admit(target.OrgId + "\n" + target.PipelineId, target.Description))
                {
                    continue;
                }

                var client = Client;
                var action = CreateAction(target);
                // With -Wait the pipelines are written once they are confirmed, not when accepted.
                var passThru = PassThru.IsPresent && WaitStatus == null;
                var phase = SystemPipelinesFirst is bool systemFirst ? PhaseOf(IsSystem(target), systemFirst) : 0;
                void ConfirmAndSend()
                {
                    _released += phase; // 1 for a pipeline held
                    if (phase > 0 && _systemNotRunning != null)
                    {
                        var record = EnosErrorRecords.ForSystemPipelinesNotRunning(target.Description, target.PipelineId, Wording.Verb, _systemNotRunning);
                        Run.Fail(target, record.Exception, record);
                    }
                    else if (!Confirm(target))
                    {
                        Run.Skip();
                    }
                    else
                    {
                        if (phase == 0 && SystemPipelinesFirst == true)
                        {
                            _systemSent.Add(target);
                        }

                        Run.Send(target, cancellationToken => SendAsync(client, target, action, passThru, cancellationToken));
                    }
                }

                // The prompt and the "What if" line go with the request, so they come in the order sent.
                if (phase == 0)
                {
                    ConfirmAndSend();
                }
                else
                {
                    _held++;
                    Run.Defer(ConfirmAndSend);
                }
            }
        });

        /// <summary>
        /// The phase a pipeline is sent in: a start's user pipelines, and a pause's system
        /// pipelines, wait for the others (phase 1). A start holds every user pipeline until the
        /// input has ended, since a system pipeline may come after it.
        /// </summary>
        internal static int PhaseOf(bool isSystem, bool systemPipelinesFirst) => isSystem == systemPipelinesFirst ? 0 : 1;

        /// <summary>
        /// Whether the target is a system pipeline: as its object says (Get-EnosPipeline sets it),
        /// else, for an object that does not say (a journal entry), from the command's snapshot:
        /// listed with the system pipelines but not without them. A bare id, and a pipeline the
        /// listing cannot tell, go with the user pipelines, as before there was an order: telling
        /// would cost a whole listing on every command given an id.
        /// </summary>
        private bool IsSystem(PipelineTarget target)
        {
            if (target.Known == null || target.Known.IsSystem.HasValue)
            {
                return target.Known?.IsSystem == true;
            }

            var directory = SharedDirectory(Client);
            try
            {
                if (!_userPipelineIds.TryGetValue(target.OrgId, out var users))
                {
                    // Read once per organisation, also when it fails.
                    _userPipelineIds[target.OrgId] = null;
                    users = _userPipelineIds[target.OrgId] = new HashSet<string>(
                        Await(directory.OrdinaryAsync(target.OrgId, TimeSpan.MaxValue, int.MaxValue, StopToken)).Pipelines.Select(pipeline => pipeline.PipelineId),
                        StringComparer.Ordinal);
                }

                return users != null && !users.Contains(target.PipelineId) && Await(directory.FindAsync(target.OrgId, target.PipelineId, StopToken)) != null;
            }
            catch (EnosException exception)
            {
                WriteVerbose($"Cannot tell whether {target.Description} is a system pipeline ({EnosErrorRecords.ReasonOf(exception)}); it goes with the user pipelines.");
                return false;
            }
        }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Run.AfterPhase = (phase, succeeded) =>
            {
                // A start's phase 0 is its system pipelines: the user pipelines held go only once they are listed RUNNING.
                var systemFirst = phase == 0 && SystemPipelinesFirst == true && _held > 0;
                if (WaitStatus == null && !systemFirst)
                {
                    return;
                }

                // Run.Admit lets each pipeline in once, so the ones that succeeded are distinct.
                var reached = WaitForStatus(succeeded.ToDictionary(done => (done.Item.OrgId, done.Item.PipelineId), done => done.Item),
                    WaitStatus ?? PipelineStatus.Running, WaitTimeoutSec, WaitPollSec, quiet: WaitStatus == null);
                var notRunning = _systemSent.Where(target => !reached.Contains((target.OrgId, target.PipelineId))).Select(target => target.PipelineId).ToList();
                _systemNotRunning = systemFirst && notRunning.Count > 0 ? notRunning : null;
            };

            if (!MyInvocation.ExpectingInput)
            {
                Run.KnowTotal(ParameterSetName == ByIdSet || IdsPrompted ? PipelineId?.Length ?? 0
                    : ParameterSetName == ByObjectSet ? 1
                    : (int?)null);
            }
        }

        // Under -WhatIf the "What if" lines are the story: there is nothing to sum up.
        protected override void EndProcessing() => Run.End(WhatIfRequested ? null : Summary);

        /// <summary>The closing line (<see cref="ActionWording.Summary"/>).</summary>
        private protected virtual string Summary(BulkCounts counts) => Wording.Summary(counts);

        string IBulkCommand<PipelineTarget, (StateChange Change, Pipeline? Output)>.Describe(PipelineTarget item) => item.Description;

        string IBulkCommand<PipelineTarget, (StateChange Change, Pipeline? Output)>.Identify(PipelineTarget item) => item.PipelineId;

        bool IBulkCommand<PipelineTarget, (StateChange Change, Pipeline? Output)>.Changed(PipelineTarget item, (StateChange Change, Pipeline? Output) result) =>
            result.Change == StateChange.Applied;

        /// <summary>
        /// The record for a failed action, with a hint for an id the service does not have, and
        /// "may have changed" for a request that got no answer.
        /// </summary>
        ErrorRecord IBulkCommand<PipelineTarget, (StateChange Change, Pipeline? Output)>.ErrorFor(PipelineTarget item, Exception exception) =>
            EnosErrorRecords.WithMayHaveChanged(ErrorFor(exception, Wording.Verb, item, _nameHints.TryGetValue(item, out var hint) ? hint : null), exception, Wording.PastTense);

        string IBulkCommand<PipelineTarget, (StateChange Change, Pipeline? Output)>.Report(PipelineTarget item, (StateChange Change, Pipeline? Output) result)
        {
            WriteVerbose(result.Change == StateChange.Applied
                ? $"{Capitalised(Wording.Progressive)} {item.Description}: accepted."
                : $"{Capitalised(item.Description)} is {Wording.AlreadyInState}; nothing to do.");
            if (result.Output != null)
            {
                WriteObject(result.Output);
            }

            if (result.Change != StateChange.Applied)
            {
                // A start or resume of a running pipeline sends nothing: saying nothing of the mode would read as done.
                if (ModeGiven is ExecutionMode mode)
                {
                    WriteWarning($"-ExecutionMode {mode} was not applied to {item.Description}: it is already running, in the mode it was started with. "
                                 + "To run it in another mode, suspend it and resume it with -ExecutionMode.");
                }

                return Wording.AlreadyInState;
            }

            return Wording.PastTense;
        }

        /// <summary>
        /// Called on the request's task just before its request is sent, and once its outcome is
        /// known (change null: it failed), so that a journal is written as soon as the service
        /// answers, not when the result reaches the pipeline thread.
        /// </summary>
        private protected virtual void OnSending(PipelineTarget target)
        {
        }

        private protected virtual void OnOutcome(PipelineTarget target, StateChange? change, Exception? failure)
        {
        }

        /// <summary>The pipeline -PassThru writes (settled): the piped one, else the listed one (<see cref="PipelineDirectory.DescribeAsync"/>).</summary>
        private protected virtual Pipeline? PassThruSource(PipelineTarget target) => target.Known;

        /// <summary>-ExecutionMode, for the commands that take it (Resume, Start).</summary>
        private protected virtual ExecutionMode? ModeGiven => null;

        /// <summary>
        /// Confirms; under -WhatIf, with the whole line of what the real run would do, read now by
        /// <paramref name="explain"/> ("Resume pipeline 'x' (pl-1): listed PAUSED: would ..."), or
        /// where the status cannot be read, why and what the real run would do anyway.
        /// </summary>
        private protected bool ConfirmExplained(PipelineTarget target, Func<string> explain, string unreadable)
        {
            if (!WhatIfRequested)
            {
                return ShouldProcess(target.Description, Wording.ShouldProcess);
            }

            string explanation;
            try
            {
                explanation = explain().TrimEnd('.');
            }
            catch (Exception exception) when (exception is EnosException || exception is ArgumentException)
            {
                explanation = $"its status cannot be read now ({EnosErrorRecords.ReasonOf(exception)}); {unreadable}";
            }

            return ShouldProcess(
                $"{Wording.ShouldProcess} {target.Description}: {explanation}.",
                $"{Wording.ShouldProcess} {target.Description}? It is {explanation}.",
                Wording.ShouldProcess);
        }

        private protected override void OnEnding(bool stoppedByUser)
        {
            _run?.OnEnding(stoppedByUser);
            base.OnEnding(stoppedByUser);
            if (stoppedByUser && _held > _released)
            {
                WarnAfterStop($"Not sent: {_held - _released} pipeline(s) held to go after the {(SystemPipelinesFirst == true ? "system" : "user")} pipelines.");
            }
        }

        private protected override void Reject(PipelineTarget target, ErrorRecord record) => Run.Reject(record);

        private async Task<(StateChange Change, Pipeline? Output)> SendAsync(
            StreamingClient client, PipelineTarget target, PipelineAction action, bool passThru, CancellationToken cancellationToken)
        {
            OnSending(target);
            StateChange change;
            try
            {
                change = await action(client, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!(exception is OperationCanceledException))
            {
                OnOutcome(target, null, exception);
                // For an id the service does not have: whether it is a name, or one character off an
                // id or name (read here, off the pipeline thread; only a hint, so its failure is ignored).
                if (EnosErrorRecords.IsNotFound(exception)
                    && await CourtesyAsync(() => PipelineNameHint.FindAsync(SharedDirectory(client), target.OrgId, target.PipelineId, cancellationToken))
                        .ConfigureAwait(false) is string hint)
                {
                    _nameHints[target] = hint;
                }

                throw;
            }

            OnOutcome(target, change, null);
            if (!passThru)
            {
                return (change, null);
            }

            var output = PassThruSource(target) ?? await SharedDirectory(client).DescribeAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
            return (change, Wording.Settled(output));
        }
    }
}
