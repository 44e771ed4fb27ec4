using System;

namespace EnOS.Streaming.Model
{
    /// <summary>Ids that can only be a mistake, refused before sending with a reason a user can act on.</summary>
    internal static class PipelineIds
    {
        public const int MaxLength = 128;

        /// <summary>Null when the id is usable, otherwise why it is not.</summary>
        public static string? Problem(string? id)
        {
            if (id == null || id.Length == 0)
            {
                return "The pipeline id is empty.";
            }

            if (string.IsNullOrWhiteSpace(id))
            {
                return "The pipeline id is only white space.";
            }

            if (id.Length > MaxLength)
            {
                return $"The pipeline id is {id.Length} characters long; ids are at most {MaxLength}.";
            }

            if (HiddenCharacterProblem("pipeline id", id) is { } hidden)
            {
                return hidden;
            }

            if (id != id.Trim())
            {
                return "The pipeline id starts or ends with white space.";
            }

            // "." and ".." would be collapsed by URI normalisation and change the request target.
            if (id == "." || id == "..")
            {
                return $"'{id}' is not a pipeline id.";
            }

            return SurvivesAsPathSegment(id, RuntimeUri)
                ? null
                : $"The pipeline id '{id}' cannot be sent as one path segment by this .NET runtime: its URI rules would unescape the "
                  + "'/', '\\' or dots in it and change the request target (Windows PowerShell 5.1 does this). Use PowerShell 7 for this id.";
        }

        public static string? OrgIdProblem(string? orgId)
        {
            if (string.IsNullOrWhiteSpace(orgId))
            {
                return "The organisation id is empty.";
            }

            if (HiddenCharacterProblem("organisation id", orgId!) is { } hidden)
            {
                return hidden;
            }

            if (orgId!.Length > MaxLength)
            {
                return $"The organisation id is longer than {MaxLength} characters.";
            }

            return SurvivesAsQueryValue(orgId, RuntimeUri)
                ? null
                : $"The organisation id '{orgId}' cannot be sent as one query value by this .NET runtime's URI rules. Use PowerShell 7 for it.";
        }

        /// <summary>Control, invisible or text-reversing characters: such an id can look like another in a prompt.</summary>
        private static string? HiddenCharacterProblem(string what, string text)
        {
            if (DisplayText.FindHidden(text, out var codePoint) < 0)
            {
                return null;
            }

            var kind = codePoint < 0x10000 && char.IsControl((char)codePoint) ? "the control character" : "the invisible or text-direction character";
            return $"The {what} contains {kind} U+{codePoint:X4}.";
        }

        // Windows PowerShell 5.1 (.NET Framework's pre-4.5 URI quirks) unescapes %2F and %5C in a path, then drops dot segments:
        // each id is tried with the runtime's own Uri (http and https) and refused unless it stays one segment (on PowerShell 7, all do).
        private static readonly Func<string, Uri> RuntimeUri = text => new Uri(text, UriKind.Absolute);
        private static readonly string[] Schemes = { "https", "http" };

        /// <summary>Whether the id, escaped, stays one segment with the same value once <paramref name="parse"/> has built the URI.</summary>
        internal static bool SurvivesAsPathSegment(string id, Func<string, Uri> parse) => Array.TrueForAll(Schemes, scheme =>
        {
            // A segment after the id too: the lag call's path continues after it.
            var segments = parse(scheme + "://gateway.invalid/pipeline/" + Uri.EscapeDataString(id) + "/offset-lag").AbsolutePath.Split('/');
            return segments.Length == 4 && segments[3] == "offset-lag" && Uri.UnescapeDataString(segments[2]) == id;
        });

        /// <summary>Whether the value, escaped, stays one query value once <paramref name="parse"/> has built the URI.</summary>
        internal static bool SurvivesAsQueryValue(string value, Func<string, Uri> parse) => Array.TrueForAll(Schemes, scheme =>
        {
            var query = parse(scheme + "://gateway.invalid/pipelines?orgId=" + Uri.EscapeDataString(value) + "&pageNo=1").Query;
            var parameters = query.TrimStart('?').Split('&');
            return parameters.Length == 2 && parameters[0].StartsWith("orgId=", StringComparison.Ordinal)
                   && Uri.UnescapeDataString(parameters[0].Substring("orgId=".Length)) == value;
        });

        internal static void EnsureValid(string pipelineId, string orgId) => ThrowIf(Problem(pipelineId) ?? OrgIdProblem(orgId));

        /// <summary>Refuses input before anything is sent: an <see cref="ArgumentException"/> saying <paramref name="problem"/>, if any.</summary>
        internal static void ThrowIf(string? problem, string? paramName = null)
        {
            if (problem != null)
            {
                throw new ArgumentException(problem, paramName);
            }
        }
    }
}
