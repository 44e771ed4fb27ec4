using System;
using System.Collections.Generic;

namespace EnOS.Streaming
{
    /// <summary>What saving one definition will do, decided by reading before anything is changed.</summary>
    public enum SaveDecision
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
    public sealed class SavePlan
    {
        internal SavePlan(PipelineDefinition definition, string orgId, string? pipelineId, SaveDecision decision,
            IReadOnlyList<string> changes, Exception? refusal, bool matchedByName)
        {
            Definition = definition;
            OrgId = orgId;
            PipelineId = pipelineId;
            Decision = decision;
            Changes = changes;
            Refusal = refusal;
            MatchedByName = matchedByName;
        }

        public PipelineDefinition Definition { get; }

        /// <summary>The organisation saved to.</summary>
        public string OrgId { get; }

        /// <summary>The pipeline saved over; null when it is to be created or was not found.</summary>
        public string? PipelineId { get; }

        public SaveDecision Decision { get; }

        /// <summary>The fields that would change ("pipelineJson", "version", ...); empty unless <see cref="Decision"/> is Save.</summary>
        public IReadOnlyList<string> Changes { get; }

        /// <summary>Why nothing can be sent: <see cref="PipelineNameException"/>, or a failed read.</summary>
        public Exception? Refusal { get; }

        /// <summary>True when the pipeline was found by the definition's name (another organisation's definition, or one without an id).</summary>
        public bool MatchedByName { get; }

        /// <summary>How prompts and messages name the pipeline: "pipeline 'wind-line-3' (pl-0003)".</summary>
        public string Description => Pipeline.Describe(PipelineId ?? Definition.Name ?? string.Empty, PipelineId == null ? null : Definition.Name);

        /// <summary>In words, for -WhatIf: "the saved configuration would change (pipelineJson, version)".</summary>
        public string Explain()
        {
            var found = MatchedByName ? $"found by name in organisation '{OrgId}': " : string.Empty;
            switch (Decision)
            {
                case SaveDecision.Save:
                    return found + $"the saved configuration would change ({string.Join(", ", Changes)})";
                case SaveDecision.Unchanged:
                    return found + "no change: the saved configuration is already this definition, nothing would be sent";
                case SaveDecision.Create:
                    return $"no pipeline of this name in organisation '{OrgId}': would create it";
                default:
                    return $"would send nothing: {Refusal?.Message}";
            }
        }
    }

    /// <summary>
    /// A definition's name does not pick out one pipeline of the organisation: none has it (and
    /// none is to be created), several share it, or (for a new pipeline) one already has it.
    /// Nothing was sent.
    /// </summary>
    [Serializable]
    public sealed class PipelineNameException : InvalidOperationException
    {
        public PipelineNameException(string name, string orgId, IReadOnlyList<string> matches)
            : base(BuildMessage(name, orgId, matches))
        {
            Name = name;
            OrgId = orgId;
            Matches = matches;
        }

        public string Name { get; }
        public string OrgId { get; }

        /// <summary>The ids of the pipelines that have the name.</summary>
        public IReadOnlyList<string> Matches { get; }

        private static string BuildMessage(string name, string orgId, IReadOnlyList<string> matches) =>
            matches.Count == 0
                ? $"No pipeline is named '{DisplayText.Escape(name)}' in organisation '{DisplayText.Escape(orgId)}'."
                : $"{matches.Count} pipelines are named '{DisplayText.Escape(name)}' in organisation '{DisplayText.Escape(orgId)}' ({string.Join(", ", matches)}).";
    }
}
