using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using EnOS.Streaming.Json;
using EnOS.Streaming.Model;

namespace EnOS.Streaming.Definitions
{
    /// <summary>Definitions on the service, and the plans that decide by reading first which call a definition needs.</summary>
    internal sealed class PipelineDefinitions(StreamingRequests requests)
    {
        /// <summary>The saved design, or with <paramref name="released"/> the one published online, exactly as sent.</summary>
        public async Task<PipelineDefinition> GetAsync(string orgId, string pipelineId, bool released = false,
            CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            var data = await requests.CallAsync(HttpMethod.Get, StreamingRequests.PipelinePath(pipelineId),
                StreamingRequests.Query(orgId, ("ifReleased", released ? "true" : "false")), null,
                $"get the {(released ? "released" : "saved")} definition of pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
            var definition = PipelineJson.ReadDetails(data, pipelineId);
            definition.OrgId = orgId;
            definition.Released = released;
            return definition;
        }

        /// <summary>Saves the definition's set fields over <paramref name="pipelineId"/>'s saved design (its own id and organisation ignored).</summary>
        public async Task SaveAsync(string orgId, string pipelineId, PipelineDefinition definition, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            var body = RequestBodies.Save(definition);
            await requests.CallAsync(HttpMethod.Post, StreamingRequests.PipelinePath(pipelineId), StreamingRequests.Query(orgId, ("action", "save")), body,
                $"save pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Save Pipeline with the id <c>null</c>: creates a pipeline from the definition and returns its id.</summary>
        public async Task<string> CreateAsync(string orgId, PipelineDefinition definition, CancellationToken cancellationToken = default)
        {
            PipelineIds.ThrowIf(PipelineIds.OrgIdProblem(orgId) ?? (string.IsNullOrWhiteSpace(definition.Name) ? "A new pipeline needs a name." : null));

            var body = RequestBodies.Save(definition);
            var data = await requests.CallAsync(
                new ApiRequest(HttpMethod.Post, StreamingRequests.NewPipelinePath, StreamingRequests.Query(orgId, ("action", "save")), body,
                    $"create pipeline '{definition.Name}'", Repeatable: false),
                cancellationToken).ConfigureAwait(false);
            var id = data.ValueKind == JsonValueKind.String || data.ValueKind == JsonValueKind.Number
                ? (data.ValueKind == JsonValueKind.String ? data.GetString() : data.GetRawText())
                : JsonFields.String(data, "pipelineId");
            if (string.IsNullOrWhiteSpace(id) || PipelineIds.Problem(id) != null)
            {
                throw new EnosTransportException(
                    $"The service accepted the new pipeline '{definition.Name}' but did not answer a usable id for it; look for it with Get-EnosPipeline -Name.",
                    TransportFailure.InvalidResponse, null, null);
            }

            return id!;
        }

        /// <summary>
        /// What saving would do; only reads. The pipeline: the definition's id if it is from <paramref name="orgId"/>, else its name's
        /// (how a test export finds production). By id, it must bear the name (or <paramref name="allowRename"/>): an edited id saves over another.
        /// </summary>
        public async Task<SavePlan> PlanSaveAsync(string orgId, PipelineDefinition definition, PipelineDirectory names, bool createMissing,
            bool allowRename = false, CancellationToken cancellationToken = default)
        {
            EnsureSavable(orgId, definition);
            var byId = definition.PipelineId != null && (definition.OrgId == null || string.Equals(definition.OrgId, orgId, StringComparison.Ordinal));
            var pipelineId = definition.PipelineId;
            if (!byId)
            {
                if (string.IsNullOrWhiteSpace(definition.Name))
                {
                    throw new ArgumentException($"The definition comes from organisation '{definition.OrgId}' and has no name to find its pipeline by in organisation '{orgId}'.");
                }

                var matches = await names.NamedAsync(orgId, definition.Name!, cancellationToken).ConfigureAwait(false);
                if (matches.Count != 1)
                {
                    return matches.Count == 0 && createMissing
                        ? SavePlan.ToCreate(definition, orgId)
                        : SavePlan.RefusedByName(definition, orgId, matches);
                }

                pipelineId = matches[0].PipelineId;
            }

            PipelineDefinition saved;
            try
            {
                saved = await GetAsync(orgId, pipelineId!, released: false, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException gone) when (byId && gone.Code == EnosErrorCodes.PipelineNotFound)
            {
                var holders = await NameHoldersAsync(orgId, definition, names, cancellationToken).ConfigureAwait(false);
                return SavePlan.Refused(definition, orgId, pipelineId!, new DefinitionMismatchException(orgId, pipelineId!, definition.Name, null, holders, gone));
            }

            if (byId && !allowRename && definition.Name != null && !string.Equals(definition.Name, saved.Name, StringComparison.Ordinal))
            {
                var holders = await NameHoldersAsync(orgId, definition, names, cancellationToken).ConfigureAwait(false);
                return SavePlan.Refused(definition, orgId, pipelineId!, new DefinitionMismatchException(orgId, pipelineId!, definition.Name, saved.Name, holders));
            }

            return SavePlan.Over(definition, orgId, pipelineId!, definition.ChangesFrom(saved), matchedByName: !byId);
        }

        /// <summary>The other pipelines listed under the definition's name, for a refusal's message (none when the listing fails: it only helps).</summary>
        private static async Task<IReadOnlyList<string>> NameHoldersAsync(string orgId, PipelineDefinition definition, PipelineDirectory names,
            CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(definition.Name))
            {
                return Array.Empty<string>();
            }

            try
            {
                var listed = await names.NamedAsync(orgId, definition.Name!, cancellationToken).ConfigureAwait(false);
                return listed.Select(p => p.PipelineId).Where(id => !string.Equals(id, definition.PipelineId, StringComparison.Ordinal)).ToList();
            }
            catch (EnosException)
            {
                return Array.Empty<string>();
            }
        }

        /// <summary>Refused when a pipeline of that name exists (a promotion run twice creates nothing twice).</summary>
        [SuppressMessage("Performance", "CA1822:Mark members as static",
            Justification = "Planned through the same instance as PlanSaveAsync and ApplyAsync; a static member would split one API in two.")]
        public async Task<SavePlan> PlanCreateAsync(string orgId, PipelineDefinition definition, PipelineDirectory names,
            CancellationToken cancellationToken = default)
        {
            EnsureSavable(orgId, definition);
            var matches = await names.NamedAsync(orgId, definition.Name!, cancellationToken).ConfigureAwait(false);
            return matches.Count == 0
                ? SavePlan.ToCreate(definition, orgId)
                : SavePlan.RefusedByName(definition, orgId, matches);
        }

        /// <summary>Carries out a plan; returns the id of the pipeline saved or created (null when nothing was sent).</summary>
        public async Task<string?> ApplyAsync(SavePlan plan, PipelineDirectory names, CancellationToken cancellationToken = default)
        {
            switch (plan.Decision)
            {
                case SaveDecision.Save:
                    await SaveAsync(plan.OrgId, plan.PipelineId!, plan.Definition, cancellationToken).ConfigureAwait(false);
                    return plan.PipelineId;
                case SaveDecision.Create:
                    var id = await CreateAsync(plan.OrgId, plan.Definition, cancellationToken).ConfigureAwait(false);
                    names.Add(plan.OrgId, new Pipeline { PipelineId = id, Name = plan.Definition.Name, OrgId = plan.OrgId });
                    return id;
                case SaveDecision.Unchanged:
                    return plan.PipelineId;
                default:
                    throw plan.Refusal!;
            }
        }

        /// <summary>Refuses, before anything is sent, a definition that cannot be saved into <paramref name="orgId"/> at all.</summary>
        private static void EnsureSavable(string orgId, PipelineDefinition definition) =>
            PipelineIds.ThrowIf(PipelineIds.OrgIdProblem(orgId) ?? DefinitionProblem(definition));

        private static string? DefinitionProblem(PipelineDefinition definition)
        {
            if (string.IsNullOrWhiteSpace(definition.Name) && definition.PipelineId == null)
            {
                return "The definition has neither a name nor a pipeline id, so there is no pipeline to save it to.";
            }

            if (definition.PipelineId != null && PipelineIds.Problem(definition.PipelineId) is { } idProblem)
            {
                return idProblem;
            }

            if (definition.PipelineJson != null)
            {
                try
                {
                    PipelineConfiguration.Parse(definition.PipelineJson);
                }
                catch (FormatException exception)
                {
                    return $"The definition's {exception.Message}";
                }
            }

            return null;
        }
    }
}
