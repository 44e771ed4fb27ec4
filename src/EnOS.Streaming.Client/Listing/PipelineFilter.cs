using System;
using System.Collections.Generic;
using System.Linq;

namespace EnOS.Streaming
{
    /// <summary>Get-EnosPipeline's filter, and the exact names and ids never listed; the cmdlet passes PowerShell's wildcards in.</summary>
    internal sealed class PipelineFilter
    {
        private readonly List<Func<string, bool>> _namePatterns;
        private readonly List<Func<string, bool>> _idPatterns;
        private readonly HashSet<string> _idsWanted;
        private readonly HashSet<string> _idsUnseen;
        private readonly HashSet<string> _exactNamesUnseen;
        private readonly HashSet<PipelineStatus>? _statuses;

        /// <param name="names">Names, with or without wildcards; none means any name.</param>
        /// <param name="ids">Pipeline ids, with or without wildcards; none means any id.</param>
        /// <param name="statuses">The statuses to write; null means any.</param>
        /// <param name="hasWildcards">Whether a name or id is a pattern (a missing one is then not reported).</param>
        /// <param name="compile">A case-insensitive matcher for a name or a wildcard id.</param>
        public PipelineFilter(IEnumerable<string> names, IEnumerable<string> ids, IEnumerable<PipelineStatus>? statuses,
            Func<string, bool> hasWildcards, Func<string, Func<string, bool>> compile)
        {
            var nameList = names.ToList();
            var idList = ids.ToList();
            _namePatterns = nameList.Select(compile).ToList();
            _exactNamesUnseen = new HashSet<string>(nameList.Where(n => !hasWildcards(n)), StringComparer.OrdinalIgnoreCase);
            _idPatterns = idList.Where(hasWildcards).Select(compile).ToList();
            var exactIds = idList.Where(id => !hasWildcards(id)).ToList();
            _idsWanted = new HashSet<string>(exactIds, StringComparer.Ordinal);
            _idsUnseen = new HashSet<string>(exactIds, StringComparer.Ordinal);
            _statuses = statuses == null ? null : new HashSet<PipelineStatus>(statuses);
        }

        /// <summary>The exact ids asked for that no listed pipeline has had (so far), in the order asked.</summary>
        public IReadOnlyCollection<string> MissingIds => _idsUnseen;

        /// <summary>The exact names asked for that no listed pipeline has had (so far), in the order asked.</summary>
        public IReadOnlyCollection<string> MissingNames => _exactNamesUnseen;

        /// <summary>Everything was asked for by exact id and has been seen: the rest of the listing cannot add to it.</summary>
        public bool Complete => _idsWanted.Count > 0 && _idsUnseen.Count == 0 && _namePatterns.Count == 0 && _idPatterns.Count == 0;

        /// <summary>Whether to write <paramref name="pipeline"/>; notes its id and name as seen either way.</summary>
        public bool Matches(Pipeline pipeline)
        {
            var byId = (_idsWanted.Count == 0 && _idPatterns.Count == 0)
                       || _idsWanted.Contains(pipeline.PipelineId)
                       || _idPatterns.Any(p => p(pipeline.PipelineId));
            _idsUnseen.Remove(pipeline.PipelineId);
            var byName = _namePatterns.Count == 0 || _namePatterns.Any(p => p(pipeline.Name ?? string.Empty));
            if (byName && pipeline.Name != null)
            {
                _exactNamesUnseen.Remove(pipeline.Name);
            }

            return byId && byName && (_statuses == null || _statuses.Contains(pipeline.Status));
        }
    }
}
