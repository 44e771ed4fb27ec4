using System;
using System.Collections.Generic;
using System.Linq;
using EnOS.Streaming.Definitions;

namespace EnOS.Streaming
{
    /// <summary>A pipeline's saved configuration, as the API reads and saves it; settable, to be built by hand or read back with Import-Clixml.</summary>
    public sealed class PipelineDefinition
    {
        /// <summary>The pipeline's id in <see cref="OrgId"/>; null for a definition not yet saved anywhere.</summary>
        public string? PipelineId { get; set; }

        public string? Name { get; set; }

        /// <summary>The organisation the definition was read from.</summary>
        public string? OrgId { get; set; }

        /// <summary>The description (desc). Save Pipeline takes none, so it is never saved.</summary>
        public string? Description { get; set; }

        public string? Version { get; set; }

        /// <summary>1 origin, 0 time-window aggregation, 2 multi-merging, 3-5 electric-energy calculations.</summary>
        public int? TemplateType { get; set; }

        public string? TemplateName { get; set; }

        /// <summary>0 real-time, 1 offline.</summary>
        public int? MessageChannel { get; set; }

        /// <summary>The configuration, a JSON object, as text: exactly as the service sent it or the file holds it.</summary>
        public string? PipelineJson { get; set; }

        /// <summary>True when read with -Released: the configuration published online, not the saved design.</summary>
        public bool Released { get; set; }

        /// <summary>The file it was imported from; null when it came from the service or was built by hand.</summary>
        public string? Path { get; set; }

        /// <summary>The id, as <see cref="Pipeline.ToString"/>: a definition passed where an id is expected means its pipeline, never its name.</summary>
        public override string ToString() => PipelineId ?? string.Empty;

        /// <summary>Definitions sharing a pipelineId (a file left from before a rename) are both refused, so neither brings back an old name.</summary>
        public static (IReadOnlyList<PipelineDefinition> Alone, IReadOnlyList<IReadOnlyList<PipelineDefinition>> Shared) SplitSharedIds(
            IReadOnlyList<PipelineDefinition> definitions)
        {
            var shared = definitions.Where(d => d.PipelineId != null)
                .GroupBy(d => (d.OrgId, d.PipelineId))
                .Where(group => group.Count() > 1)
                .Select(group => (IReadOnlyList<PipelineDefinition>)group.ToList())
                .ToList();
            var refused = new HashSet<PipelineDefinition>(shared.SelectMany(group => group));
            return (definitions.Where(d => !refused.Contains(d)).ToList(), shared);
        }

        /// <summary>This configuration as saved to <paramref name="pipelineId"/> of <paramref name="orgId"/> (the saved design, from no file).</summary>
        public PipelineDefinition SavedAs(string pipelineId, string orgId)
        {
            var saved = (PipelineDefinition)MemberwiseClone();
            saved.PipelineId = pipelineId;
            saved.OrgId = orgId;
            saved.Released = false;
            saved.Path = null;
            return saved;
        }

        /// <summary>The fields set here that differ from <paramref name="saved"/>, the configuration compared as JSON; the description is never saved.</summary>
        public IReadOnlyList<string> ChangesFrom(PipelineDefinition saved)
        {
            var fields = new (string Field, bool Changed)[]
            {
                ("name", Name != null && !string.Equals(Name, saved.Name, StringComparison.Ordinal)),
                ("version", Version != null && !string.Equals(Version, saved.Version, StringComparison.Ordinal)),
                ("templateType", TemplateType != null && TemplateType != saved.TemplateType),
                ("templateName", TemplateName != null && !string.Equals(TemplateName, saved.TemplateName, StringComparison.Ordinal)),
                ("messageChannel", MessageChannel != null && MessageChannel != saved.MessageChannel),
                ("pipelineJson", PipelineJson != null && !string.Equals(Comparable(PipelineJson), Comparable(saved.PipelineJson), StringComparison.Ordinal)),
            };
            return fields.Where(field => field.Changed).Select(field => field.Field).ToList();
        }

        // Text that is not a JSON object is compared as it is.
        private static string? Comparable(string? json)
        {
            try
            {
                return json == null ? null : PipelineConfiguration.Canonical(json);
            }
            catch (FormatException)
            {
                return json;
            }
        }
    }
}
