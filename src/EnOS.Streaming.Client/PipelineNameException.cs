using System.Collections.Generic;

namespace EnOS.Streaming
{
    /// <summary>
    /// A definition's name does not pick out one pipeline of the organisation: none has it (and
    /// none is to be created), several share it, or (for a new pipeline) one already has it.
    /// Nothing was sent.
    /// </summary>
    public sealed class PipelineNameException : EnosException
    {
        public PipelineNameException(string name, string orgId, IReadOnlyList<string> matches)
            : base(BuildMessage(name, orgId, matches), RequestOutcome.NotSent)
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
