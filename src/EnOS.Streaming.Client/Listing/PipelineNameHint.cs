using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming
{
    /// <summary>For an id no pipeline has: "'wind-line-1' is the name of pl-0001", or "did you mean pl-0001?" (one typo off one pipeline).</summary>
    internal static class PipelineNameHint
    {
        /// <summary>The hint for <paramref name="typed"/> from the listing the command reads anyway; null when there is none.</summary>
        public static async Task<string?> FindAsync(PipelineDirectory directory, string orgId, string typed, CancellationToken cancellationToken)
        {
            // Reads to the end of the listing (an absent id is only known absent there), then looks at all of it.
            if (await directory.FindAsync(orgId, typed, cancellationToken).ConfigureAwait(false) != null)
            {
                return null;
            }

            return For(typed, await directory.ListedAsync(orgId, cancellationToken).ConfigureAwait(false));
        }

        public static string? For(string typed, IEnumerable<Pipeline> pipelines)
        {
            var all = pipelines.ToList();
            var named = all.Where(pipeline => string.Equals(pipeline.Name, typed, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count > 0)
            {
                return $"'{DisplayText.Escape(typed)}' is the name of {string.Join(", ", named.Select(pipeline => DisplayText.Escape(pipeline.PipelineId)))}";
            }

            // Only a near miss of one pipeline: numbered ids (pl-0013) are one character off several.
            var near = all.Where(pipeline => OneEditApart(typed, pipeline.PipelineId) || OneEditApart(typed, pipeline.Name)).Take(2).ToList();
            return near.Count == 1
                ? "did you mean " + Pipeline.Describe(near[0].PipelineId, near[0].Name).Substring("pipeline ".Length) + "?"
                : null;
        }

        /// <summary>One character replaced, added or left out (case aside): a typo, not another pipeline.</summary>
        internal static bool OneEditApart(string typed, string? candidate)
        {
            if (candidate == null || Math.Abs(typed.Length - candidate.Length) > 1)
            {
                return false;
            }

            var a = typed.ToUpperInvariant();
            var b = candidate.ToUpperInvariant();
            if (a == b)
            {
                // Only the case differs: still a near miss, since ids are compared exactly.
                return typed != candidate;
            }

            var i = 0;
            while (i < a.Length && i < b.Length && a[i] == b[i])
            {
                i++;
            }

            // After the first difference, the rest must match with one character replaced, added or dropped.
            return a.Length == b.Length ? a.Substring(i + 1) == b.Substring(i + 1)
                : a.Length > b.Length ? a.Substring(i + 1) == b.Substring(i)
                : a.Substring(i) == b.Substring(i + 1);
        }
    }
}
