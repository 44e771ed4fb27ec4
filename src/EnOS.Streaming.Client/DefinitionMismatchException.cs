using System.Collections.Generic;

namespace EnOS.Streaming
{
    /// <summary>A definition's pipelineId is no pipeline, or one of another name, in the organisation (an edited id would save over it). Nothing was sent.</summary>
    public sealed class DefinitionMismatchException(string orgId, string pipelineId, string? definitionName, string? savedName,
        IReadOnlyList<string> nameHolders, System.Exception? innerException = null)
        : EnosException(BuildMessage(orgId, pipelineId, definitionName, savedName, nameHolders), RequestOutcome.NotSent, innerException)
    {
        public string OrgId { get; } = orgId;

        /// <summary>The definition's pipelineId.</summary>
        public string PipelineId { get; } = pipelineId;

        public string? DefinitionName { get; } = definitionName;

        /// <summary>The name the service has for <see cref="PipelineId"/>; null when it has no such pipeline.</summary>
        public string? SavedName { get; } = savedName;

        /// <summary>The ids of the pipelines the service lists under the definition's name.</summary>
        public IReadOnlyList<string> NameHolders { get; } = nameHolders;

        private static string BuildMessage(string orgId, string pipelineId, string? definitionName, string? savedName, IReadOnlyList<string> nameHolders)
        {
            var organisation = $"organisation '{DisplayText.Escape(orgId)}'";
            var holders = nameHolders.Count == 0
                ? string.Empty
                : $", and '{DisplayText.Escape(definitionName ?? string.Empty)}' is the name of {string.Join(", ", nameHolders)}";
            return savedName == null
                ? $"{organisation} has no pipeline '{DisplayText.Escape(pipelineId)}' (deleted, or the definition's pipelineId was edited){holders}."
                : $"its pipelineId '{DisplayText.Escape(pipelineId)}' is pipeline '{DisplayText.Escape(savedName)}' in {organisation}, "
                  + $"not '{DisplayText.Escape(definitionName ?? string.Empty)}'{holders}.";
        }
    }
}
