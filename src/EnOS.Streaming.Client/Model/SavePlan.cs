using System;
using System.Collections.Generic;

namespace EnOS.Streaming
{
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
}
