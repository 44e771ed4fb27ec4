using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Bulk;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// The shape of the commands that save definitions (Set-EnosPipelineDefinition, New-EnosPipeline):
    /// each is planned on a task (reads only), confirmed with a -WhatIf line saying what the save
    /// would do, then sent by the bulk engine (<see cref="BulkRun{TItem, TResult}"/>).
    /// </summary>
    public abstract class DefinitionSaveCmdlet : EnosCmdlet, IBulkCommand<SavePlan, object?>
    {
        private const string Saved = "saved";
        private const string Created = "created";
        private const string Unchanged = "unchanged";

        private readonly List<PipelineDefinition> _held = new List<PipelineDefinition>();
        private BulkRun<SavePlan, object?>? _run;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PipelineDefinition[] InputObject { get; set; } = null!;

        /// <summary>Where to save; the connection's by default, never the piped definition's (where it came from).</summary>
        [Parameter]
        public string? OrgId { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>
        /// A save (not a create) holds every definition for phase 1, so that two of one pipelineId (a
        /// file left from before a rename) are both refused before either is saved.
        /// </summary>
        private bool RefusesDuplicateIds => !Creating;

        private bool Creating => this is NewEnosPipelineCommand;

        /// <summary>"save" or "create", for messages.</summary>
        private string ActionVerb => Creating ? "create" : "save";

        private BulkRun<SavePlan, object?> Run => _run ??= new BulkRun<SavePlan, object?>(this, this,
            new BulkWording(Creating ? "Creating" : "Saving", "definition(s) it had sent", "Accepted", ActionVerb + "d", "Get-EnosPipelineDefinition"), ThrottleLimit);

        private protected abstract Task<SavePlan> PlanAsync(StreamingClient client, string orgId, PipelineDefinition definition, PipelineDirectory names,
            CancellationToken cancellationToken);

        /// <summary>What the command outputs for a definition saved, created or found unchanged.</summary>
        private protected abstract Task<object?> ResultAsync(StreamingClient client, SavePlan plan, string pipelineId, CancellationToken cancellationToken);

        protected override void BeginProcessing()
        {
            if (RefusesDuplicateIds)
            {
                Run.Defer(PlanHeld);
            }
        }

        protected override void ProcessRecord() => Run.Process(() =>
        {
            if (RefusesDuplicateIds)
            {
                _held.AddRange(InputObject);
                return;
            }

            Plan(InputObject);
        });

        protected override void EndProcessing() => Run.End(counts => SummaryOf(counts, Creating));

        private protected override void OnEnding(bool stoppedByUser) => _run?.OnEnding(stoppedByUser);

        private void Plan(IEnumerable<PipelineDefinition> definitions)
        {
            var client = Client;
            var names = SharedDirectory(client);
            foreach (var definition in definitions)
            {
                var orgId = OrgId ?? Connection.OrgId;
                var orgProblem = PipelineIds.OrgIdProblem(orgId);
                if (orgProblem != null)
                {
                    Run.Reject(EnosErrorRecords.ForInvalidOrgId(definition.Name, orgProblem));
                    continue;
                }

                Run.Admit();
                // A read (the plan) changes nothing, so it is not in the engine's ledger.
                Pump.Start(
                    cancellationToken => PlanAsync(client, orgId, definition, names, cancellationToken),
                    finished => Planned(client, definition, orgId, finished), ThrottleLimit);
            }
        }

        /// <summary>Plans the held definitions, less those that share a pipelineId: one error names all of their files.</summary>
        private void PlanHeld()
        {
            var (alone, shared) = PipelineDefinition.SplitSharedIds(_held);
            foreach (var group in shared)
            {
                Run.Reject(EnosErrorRecords.ForDuplicateDefinitions(group[0].PipelineId!, group), group.Count);
            }

            Plan(alone);
        }

        private void Planned(StreamingClient client, PipelineDefinition definition, string orgId, Task<SavePlan> finished)
        {
            if (finished.IsCanceled)
            {
                return;
            }

            if (finished.IsFaulted)
            {
                var exception = finished.Exception!.GetBaseException();
                Run.Fail(null, exception, EnosErrorRecords.ForDefinition(exception, ActionVerb, definition.PipelineId, definition.Name, orgId, Creating, definition.Path));
                return;
            }

            var plan = finished.Result;
            if (Run.Ending)
            {
                // An error is about to end the command: nothing new is sent.
                return;
            }

            if (plan.Decision == SaveDecision.Refuse)
            {
                Run.Fail(plan, plan.Refusal!);
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
                Run.Skip();
                return;
            }

            Run.Send(plan, async cancellationToken =>
            {
                var id = await client.Definitions.ApplyAsync(plan, SharedDirectory(client), cancellationToken).ConfigureAwait(false);
                return await ResultAsync(client, plan, id!, cancellationToken).ConfigureAwait(false);
            });
        }

        string IBulkCommand<SavePlan, object?>.Describe(SavePlan item) => item.Description;

        string IBulkCommand<SavePlan, object?>.Identify(SavePlan item) => item.Description;

        bool IBulkCommand<SavePlan, object?>.Changed(SavePlan item, object? result) => item.Decision != SaveDecision.Unchanged;

        ErrorRecord IBulkCommand<SavePlan, object?>.ErrorFor(SavePlan item, Exception exception) =>
            EnosErrorRecords.ForDefinition(exception, ActionVerb, item.PipelineId, item.Definition.Name, item.OrgId, Creating, item.Definition.Path);

        string IBulkCommand<SavePlan, object?>.Report(SavePlan item, object? result)
        {
            if (item.Decision != SaveDecision.Unchanged)
            {
                WriteVerbose($"{(item.Decision == SaveDecision.Create ? "Created" : "Saved")} {item.Description}: accepted.");
            }

            if (result != null)
            {
                WriteObject(result);
            }

            return item.Decision == SaveDecision.Create ? Created : item.Decision == SaveDecision.Save ? Saved : Unchanged;
        }

        /// <summary>The closing line: "2 saved, 1 created, 4 unchanged, 0 failed." (New-EnosPipeline: "3 created, 0 failed.").</summary>
        internal static string SummaryOf(BulkCounts counts, bool creating) =>
            (creating
                ? $"{counts.Of(Created)} created, {counts.Failed} failed"
                : $"{counts.Of(Saved)} saved, {counts.Of(Created)} created, {counts.Of(Unchanged)} unchanged, {counts.Failed} failed")
            + counts.Extras() + ".";
    }
}
