using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// The shape of the commands that save definitions (Set-EnosPipelineDefinition,
    /// New-EnosPipeline): each definition is planned on a task (which pipeline, and what would
    /// change: reads only), confirmed on the pipeline thread with a -WhatIf line that says what
    /// the save would do, then carried out on a task; up to -ThrottleLimit at a time, one result
    /// or one error record per definition, and one summary line at the end.
    /// </summary>
    public abstract class DefinitionSaveCmdlet : EnosCmdlet
    {
        private readonly UnreportedRequests<SavePlan, object?> _unreported = new UnreportedRequests<SavePlan, object?>();
        private readonly List<PipelineDefinition> _held = new List<PipelineDefinition>();
        private PipelineNameIndex? _names;
        private ItemErrorWriter? _errors;
        private int _received;
        private int _failed;
        private int _done;
        private int _saved;
        private int _created;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PipelineDefinition[] InputObject { get; set; } = null!;

        /// <summary>
        /// The organisation to save into; by default the connection's. Deliberately not bound from
        /// the piped definition, whose OrgId is where it came from, not where it goes.
        /// </summary>
        [Parameter]
        public string? OrgId { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>"save", for messages.</summary>
        protected abstract string ActionVerb { get; }

        /// <summary>
        /// Set-EnosPipelineDefinition: every definition is held until all have come, so that two for
        /// one pipelineId (a file left from before a rename next to the new one) are both refused
        /// before either is saved, whichever would have come first.
        /// </summary>
        private protected virtual bool RefusesDuplicateIds => false;

        private protected abstract Task<SavePlan> PlanAsync(StreamingClient client, string orgId, PipelineDefinition definition, PipelineNameIndex names,
            CancellationToken cancellationToken);

        /// <summary>Writes what the command outputs for a definition saved, created or found unchanged.</summary>
        private protected abstract Task<object?> ResultAsync(StreamingClient client, SavePlan plan, string pipelineId, CancellationToken cancellationToken);

        private ItemErrorWriter Errors => _errors ??= new ItemErrorWriter(Pump, ErrorsStop, WriteError, WriteWarning);

        protected override void ProcessRecord()
        {
            try
            {
                StartPlans();
            }
            catch (PipelineStoppedException)
            {
                TellUnreported();
                throw;
            }
        }

        private void StartPlans()
        {
            var client = Client;
            if (RefusesDuplicateIds)
            {
                _held.AddRange(InputObject);
                return;
            }

            Plan(client, InputObject);
        }

        private void Plan(StreamingClient client, IEnumerable<PipelineDefinition> definitions)
        {
            var names = _names ??= new PipelineNameIndex(client);
            foreach (var definition in definitions)
            {
                _received++;
                var orgId = OrgId ?? Connection.OrgId;
                var orgProblem = PipelineIds.OrgIdProblem(orgId);
                if (orgProblem != null)
                {
                    Fail(EnosErrorRecords.ForInvalidOrgId(definition.Name, orgProblem));
                    continue;
                }

                Pump.Start(
                    cancellationToken => PlanAsync(client, orgId, definition, names, cancellationToken),
                    finished => Planned(client, definition, orgId, finished),
                    ThrottleLimit);
            }

            Pump.HandleReady();
        }

        protected override void EndProcessing()
        {
            try
            {
                if (_held.Count > 0)
                {
                    PlanHeld(Client);
                }

                Pump.WaitForAll();
            }
            catch (PipelineStoppedException)
            {
                TellUnreported();
                throw;
            }

            var skipped = _received - _done - _failed;
            var counts = this is NewEnosPipelineCommand
                ? $"{_created} created, {_failed} failed"
                : $"{_saved} saved, {_created} created, {_done - _saved - _created} unchanged, {_failed} failed";
            SummaryLine.Write(this, counts + (skipped > 0 ? $", {skipped} skipped (-WhatIf or not confirmed)" : string.Empty) + ".");
        }

        /// <summary>Plans the held definitions, less those that share a pipelineId: one error names all of their files.</summary>
        private void PlanHeld(StreamingClient client)
        {
            var (alone, shared) = PipelineDefinition.SplitSharedIds(_held);
            foreach (var group in shared)
            {
                _received += group.Count;
                _failed += group.Count - 1;
                Fail(EnosErrorRecords.ForDuplicateDefinitions(group[0].PipelineId!, group));
            }

            Plan(client, alone);
        }

        private void Planned(StreamingClient client, PipelineDefinition definition, string orgId, Task<SavePlan> finished)
        {
            if (finished.IsCanceled)
            {
                return;
            }

            if (finished.IsFaulted)
            {
                Failed(finished.Exception!.GetBaseException(), definition.PipelineId, definition.Name, orgId, definition.Path);
                return;
            }

            var plan = finished.Result;
            if (Errors.Ending)
            {
                // An error is about to end the command (-ErrorAction Stop): nothing new is sent.
                return;
            }

            if (plan.Decision == SaveDecision.Refuse)
            {
                Failed(plan.Refusal!, plan.PipelineId, definition.Name, orgId, definition.Path);
                return;
            }

            var action = (plan.Decision == SaveDecision.Create ? "Create " : "Save ")
                         + plan.Description + (definition.Path == null ? string.Empty : $" from '{definition.Path}'");
            if (plan.Decision == SaveDecision.Unchanged && !WhatIfRequested)
            {
                // Nothing would be sent, so there is nothing to confirm.
                WriteVerbose($"{Capitalised(plan.Description)}: {plan.Explain()}.");
            }
            else if (!ShouldProcess($"{action}: {plan.Explain()}.",
                         $"{action}? {Capitalised(plan.Explain())}.", plan.Decision == SaveDecision.Create ? "Create" : "Save"))
            {
                return;
            }

            _unreported.Add(plan, Pump.Start(
                async cancellationToken =>
                {
                    var names = _names!;
                    var id = await client.Definitions.ApplyAsync(plan, names, cancellationToken).ConfigureAwait(false);
                    return await ResultAsync(client, plan, id!, cancellationToken).ConfigureAwait(false);
                },
                applied => Applied(plan, applied),
                ThrottleLimit));
        }

        private void Applied(SavePlan plan, Task<object?> applied)
        {
            // Reported from here on (Select-Object -First takes the object, then throws through WriteObject).
            _unreported.Reported(plan);
            if (applied.IsCanceled)
            {
                return;
            }

            if (applied.IsFaulted)
            {
                Failed(applied.Exception!.GetBaseException(), plan.PipelineId, plan.Definition.Name, plan.OrgId, plan.Definition.Path);
                return;
            }

            _done++;
            _saved += plan.Decision == SaveDecision.Save ? 1 : 0;
            _created += plan.Decision == SaveDecision.Create ? 1 : 0;
            if (plan.Decision != SaveDecision.Unchanged)
            {
                WriteVerbose($"{(plan.Decision == SaveDecision.Create ? "Created" : "Saved")} {plan.Description}: accepted.");
            }

            if (applied.Result != null)
            {
                WriteObject(applied.Result);
            }
        }

        /// <summary>
        /// The command was stopped (Ctrl+C) or its output is no longer wanted (Select-Object -First)
        /// before it reported every save it sent: name them, so that nothing changes silently.
        /// </summary>
        private void TellUnreported()
        {
            if (_unreported.Count == 0)
            {
                return;
            }

            var count = _unreported.Count;
            var userStop = StopToken.IsCancellationRequested;
            var settled = _unreported.Settle(hurry: userStop, Connection.Options.Timeout);
            var done = settled.Where(save => save.Outcome == UnreportedOutcome.Completed).Select(save => save.Key.Description).ToList();
            var unknown = settled.Where(save => save.Outcome == UnreportedOutcome.Unknown).Select(save => save.Key.Description).ToList();
            WarnAfterStop($"{WhoStopped(userStop)} before "
                          + $"{MyInvocation.MyCommand.Name} reported {count} definition(s) it had sent."
                          + (done.Count > 0 ? $" Accepted but not reported: {string.Join(", ", done)}." : string.Empty)
                          + (unknown.Count > 0 ? $" May have been {ActionVerb}d: {string.Join(", ", unknown)} (check with Get-EnosPipelineDefinition)." : string.Empty));
        }

        private void Failed(Exception exception, string? pipelineId, string? name, string orgId, string? path)
        {
            if (exception is EnosApiException api && api.IsAuthenticationFailure)
            {
                // The credentials stopped working: no further definition can be saved.
                ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api));
            }

            Fail(EnosErrorRecords.ForDefinition(exception, ActionVerb, pipelineId, name, orgId, creating: this is NewEnosPipelineCommand, path));
        }

        /// <summary>Writes one definition's error (see <see cref="ItemErrorWriter"/> for -ErrorAction Stop).</summary>
        private void Fail(ErrorRecord record)
        {
            _failed++;
            Errors.Write(record);
        }
    }
}
