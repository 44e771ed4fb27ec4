using System;
using System.Collections.Generic;
using System.Linq;

namespace EnOS.Streaming.Model
{
    /// <summary>What saving one definition will do, decided by reading before anything is changed.</summary>
    internal enum SaveDecision
    {
        /// <summary>The pipeline exists and its saved configuration differs: Save Pipeline is sent.</summary>
        Save,

        /// <summary>The pipeline's saved configuration is already this definition: nothing to send.</summary>
        Unchanged,

        /// <summary>No pipeline has the name and creating was asked for: Save Pipeline with the id null.</summary>
        Create,

        /// <summary>Nothing can be sent (<see cref="SavePlan.Refusal"/>).</summary>
        Refuse,
    }

    /// <summary>The decision for one definition and why; what -WhatIf reports and what the real run does.</summary>
    /// <param name="Definition">The definition to save.</param>
    /// <param name="OrgId">The organisation saved to.</param>
    /// <param name="PipelineId">The pipeline saved over; null when it is to be created or was not found.</param>
    /// <param name="Decision">What is sent.</param>
    /// <param name="Changes">The fields that would change ("pipelineJson", "version", ...); empty unless Decision is Save.</param>
    /// <param name="Refusal">Why nothing can be sent: <see cref="PipelineNameException"/>, or a failed read.</param>
    /// <param name="MatchedByName">The pipeline was found by the definition's name (another organisation's definition, or one without an id).</param>
    internal sealed record SavePlan(PipelineDefinition Definition, string OrgId, string? PipelineId, SaveDecision Decision,
        IReadOnlyList<string> Changes, Exception? Refusal, bool MatchedByName)
    {
        /// <summary>Save over <paramref name="pipelineId"/>, or nothing to send when there are no <paramref name="changes"/>.</summary>
        internal static SavePlan Over(PipelineDefinition definition, string orgId, string pipelineId, IReadOnlyList<string> changes, bool matchedByName) =>
            new SavePlan(definition, orgId, pipelineId, changes.Count == 0 ? SaveDecision.Unchanged : SaveDecision.Save, changes, null, matchedByName);

        /// <summary>Create: no pipeline of the organisation has the definition's name.</summary>
        internal static SavePlan ToCreate(PipelineDefinition definition, string orgId) =>
            new SavePlan(definition, orgId, null, SaveDecision.Create, Array.Empty<string>(), null, MatchedByName: true);

        /// <summary>Refused: the definition's name does not pick out the pipeline wanted (<paramref name="matches"/> have it).</summary>
        internal static SavePlan RefusedByName(PipelineDefinition definition, string orgId, IReadOnlyList<Pipeline> matches) =>
            new SavePlan(definition, orgId, null, SaveDecision.Refuse, Array.Empty<string>(),
                new PipelineNameException(definition.Name!, orgId, matches.Select(p => p.PipelineId).ToList()), MatchedByName: true);

        /// <summary>Refused for <paramref name="refusal"/>: the definition does not agree with the organisation (see <see cref="DefinitionMismatchException"/>).</summary>
        internal static SavePlan Refused(PipelineDefinition definition, string orgId, string pipelineId, Exception refusal) =>
            new SavePlan(definition, orgId, pipelineId, SaveDecision.Refuse, Array.Empty<string>(), refusal, MatchedByName: false);

        /// <summary>How prompts and messages name the pipeline: "pipeline 'wind-line-3' (pl-0003)".</summary>
        public string Description => Pipeline.Describe(PipelineId ?? Definition.Name ?? string.Empty, PipelineId == null ? null : Definition.Name);

        /// <summary>In words, for -WhatIf: "the saved configuration would change (pipelineJson, version)".</summary>
        public string Explain()
        {
            var found = MatchedByName ? $"found by name in organisation '{OrgId}': " : string.Empty;
            return Decision switch
            {
                SaveDecision.Save => found + $"the saved configuration would change ({string.Join(", ", Changes)})",
                SaveDecision.Unchanged => found + "no change: the saved configuration is already this definition, nothing would be sent",
                SaveDecision.Create => $"no pipeline of this name in organisation '{OrgId}': would create it",
                _ => $"would send nothing: {Refusal?.Message}",
            };
        }
    }
}
