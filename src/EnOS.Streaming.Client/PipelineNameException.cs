using System.Collections.Generic;

namespace EnOS.Streaming
{
    /// <summary>A definition's name picks out no one pipeline: none, several, or (for a new one) one already. Nothing was sent.</summary>
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
