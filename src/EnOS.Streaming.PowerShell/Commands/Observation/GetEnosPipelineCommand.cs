using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Lists the organisation's pipelines across all pages, writing each page as it arrives, with
    /// filters by name (wildcards), id and status.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EnosPipeline", DefaultParameterSetName = "All")]
    [OutputType(typeof(Pipeline))]
    public sealed class GetEnosPipelineCommand : EnosCmdlet
    {
        private readonly List<string> _names = new List<string>();
        private readonly List<string> _ids = new List<string>();

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.PipelineNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.PipelineIdCompleter))]
        public string[]? PipelineId { get; set; }

        [Parameter]
        public PipelineStatus[]? Status { get; set; }

        [Parameter]
        public SwitchParameter IncludeSystem { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OrgId { get; set; }

        // Input may arrive by property name over many records; one listing serves them all.
        protected override void ProcessRecord()
        {
            _names.AddRange(Name ?? Array.Empty<string>());
            _ids.AddRange(PipelineId ?? Array.Empty<string>());
        }

        protected override void EndProcessing()
        {
            // Piped input that named no pipeline (an empty list, objects without ids) asks for
            // nothing: listing everything instead would turn `$ids | Get-EnosPipeline |
            // Stop-EnosPipeline` with an empty $ids into "stop them all".
            if (MyInvocation.ExpectingInput && _names.Count == 0 && _ids.Count == 0)
            {
                WriteVerbose("The piped input named no pipeline (no PipelineId or Name); nothing to list.");
                return;
            }

            var orgId = OrgId ?? Connection.OrgId;
            var orgProblem = PipelineIds.OrgIdProblem(orgId);
            if (orgProblem != null)
            {
                ThrowTerminatingError(EnosErrorRecords.ForInvalidOrgId(orgId, orgProblem));
            }

            var filter = new PipelineFilter(_names, _ids, Status, WildcardPattern.ContainsWildcardCharacters, text => WildcardPattern.Get(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant).IsMatch);

            var written = WriteMatching(orgId, filter);
            WriteVerbose($"Wrote {written} pipeline{(written == 1 ? string.Empty : "s")}.");
            var system = filter.MissingIds.Count > 0 && !IncludeSystem ? SystemPipelinesAmong(orgId, filter.MissingIds) : new HashSet<string>();
            foreach (var id in filter.MissingIds)
            {
                WriteError(EnosErrorRecords.ForMissingPipeline(id, orgId, isSystem: system.Contains(id)));
            }

            foreach (var name in filter.MissingNames)
            {
                WriteError(EnosErrorRecords.ForMissingName(name, orgId));
            }
        }

        /// <summary>Lists page by page, writing the matches as each page arrives; stops early once the filter has all it asked for.</summary>
        private int WriteMatching(string orgId, PipelineFilter filter)
        {
            WriteVerbose($"Listing the pipelines of organisation '{orgId}'{(IncludeSystem ? ", system pipelines included" : string.Empty)}.");
            var written = 0;
            // The listing marks no pipeline as a system one: those it adds to the list without them are.
            var userIds = IncludeSystem ? UserPipelineIdsAsync(orgId) : null;
            using (var listing = Client.ListPipelines(orgId, IncludeSystem))
            {
                while (true)
                {
                    IReadOnlyList<Pipeline>? page;
                    try
                    {
                        page = Await(listing.NextPageAsync(StopToken));
                    }
                    catch (Exception exception) when (exception is EnosException || exception is ArgumentException)
                    {
                        // Without the list there is nothing more to write: terminating.
                        ThrowTerminating(exception, $"Cannot list the pipelines of organisation '{orgId}'", orgId);
                        throw;
                    }

                    if (page == null)
                    {
                        break;
                    }

                    var users = userIds == null ? null : Await(userIds);
                    foreach (var pipeline in page.Where(filter.Matches))
                    {
                        pipeline.IsSystem ??= users == null ? (bool?)null : !users.Contains(pipeline.PipelineId);
                        WriteObject(pipeline);
                        written++;
                    }

                    if (filter.Complete)
                    {
                        break;
                    }
                }
            }

            return written;
        }

        /// <summary>The ids of the user pipelines, read alongside -IncludeSystem's listing; null when that list cannot prove which are not.</summary>
        private Task<HashSet<string>?> UserPipelineIdsAsync(string orgId)
        {
            var directory = SharedDirectory(Client);
            // Only a mark: where the list cannot be read, IsSystem stays unknown.
            return CourtesyAsync(async () =>
            {
                var users = await directory.OrdinaryAsync(orgId, TimeSpan.MaxValue, int.MaxValue, StopToken).ConfigureAwait(false);
                return users.Anomaly == null ? new HashSet<string>(users.Pipelines.Select(pipeline => pipeline.PipelineId), StringComparer.Ordinal) : null;
            });
        }

        /// <summary>
        /// Which of the ids not found are system pipelines, which are listed only with
        /// -IncludeSystem: a second, bounded look (only when something was missing) turns
        /// "no such pipeline" into "add -IncludeSystem".
        /// </summary>
        private HashSet<string> SystemPipelinesAmong(string orgId, IReadOnlyCollection<string> ids)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                using (var listing = Client.ListPipelines(orgId, includeSystem: true))
                {
                    IReadOnlyList<Pipeline>? page;
                    while (found.Count < ids.Count && (page = Await(listing.NextPageAsync(StopToken))) != null)
                    {
                        found.UnionWith(page.Select(p => p.PipelineId).Where(ids.Contains));
                    }
                }
            }
            catch (EnosException exception)
            {
                // Only a hint: the ids are reported missing either way.
                WriteDebug($"Could not check for system pipelines: {exception.Message}");
            }

            return found;
        }
    }
}
