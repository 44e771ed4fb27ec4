using System.Collections.Generic;

namespace EnOS.Streaming
{
    /// <summary>A definition's name picks out no one pipeline: none, several, or (for a new one) one already. Nothing was sent.</summary>
    public sealed class PipelineNameException(string name, string orgId, IReadOnlyList<string> matches)
        : EnosException(BuildMessage(name, orgId, matches), RequestOutcome.NotSent)
    {
        public string Name { get; } = name;
        public string OrgId { get; } = orgId;

        /// <summary>The ids of the pipelines that have the name.</summary>
        public IReadOnlyList<string> Matches { get; } = matches;

        private static string BuildMessage(string name, string orgId, IReadOnlyList<string> matches) =>
            matches.Count == 0
                ? $"No pipeline is named '{DisplayText.Escape(name)}' in organisation '{DisplayText.Escape(orgId)}'."
                : $"{matches.Count} pipelines are named '{DisplayText.Escape(name)}' in organisation '{DisplayText.Escape(orgId)}' ({string.Join(", ", matches)}).";
    }
}
