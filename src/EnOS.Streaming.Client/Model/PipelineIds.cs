using System;

namespace EnOS.Streaming
{
    /// <summary>
    /// What a pipeline id or org id may look like before anything is sent. Ids are escaped as one
    /// path segment anyway; this catches input that can only be a mistake, with a reason a user
    /// can act on.
    /// </summary>
    public static class PipelineIds
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

            foreach (var c in id)
            {
                if (char.IsControl(c))
                {
                    return $"The pipeline id contains the control character U+{(int)c:X4}.";
                }
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

            return null;
        }

        public static string? OrgIdProblem(string? orgId)
        {
            if (string.IsNullOrWhiteSpace(orgId))
            {
                return "The organisation id is empty.";
            }

            foreach (var c in orgId!)
            {
                if (char.IsControl(c))
                {
                    return $"The organisation id contains the control character U+{(int)c:X4}.";
                }
            }

            return orgId.Length > MaxLength ? $"The organisation id is longer than {MaxLength} characters." : null;
        }

        internal static void EnsureValid(string pipelineId, string orgId)
        {
            var problem = Problem(pipelineId) ?? OrgIdProblem(orgId);
            if (problem != null)
            {
                throw new ArgumentException(problem);
            }
        }
    }
}
