using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>What a maintenance journal holds, an object per pipeline; reads the file only, so no connection is needed.</summary>
    [Cmdlet(VerbsCommon.Get, "EnosMaintenanceJournal")]
    [OutputType(typeof(JournalEntry))]
    public sealed class GetEnosMaintenanceJournalCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "JournalPath")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        [Parameter]
        public SwitchParameter Pending { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var path in JournalFiles())
            {
                JournalReading reading;
                try
                {
                    reading = MaintenanceJournal.Read(path);
                }
                catch (Exception exception) when (EnosErrorRecords.IsJournalFailure(exception))
                {
                    WriteError(EnosErrorRecords.ForJournal(exception, path, onlyReading: true));
                    continue;
                }

                foreach (var problem in reading.Problems)
                {
                    WriteWarning($"Journal '{path}': {problem}");
                }

                foreach (var entry in Pending ? reading.Pending : reading.Entries)
                {
                    WriteObject(entry);
                }
            }
        }

        /// <summary>The path as written when a file has that name (brackets and all), else every file its wildcards match.</summary>
        private IEnumerable<string> JournalFiles()
        {
            var literal = GetUnresolvedProviderPathFromPSPath(Path);
            if (File.Exists(literal) || !WildcardPattern.ContainsWildcardCharacters(Path))
            {
                return new[] { literal };
            }

            try
            {
                var matches = GetResolvedProviderPathFromPSPath(Path, out _).Where(File.Exists).ToList();
                return matches.Count > 0 ? matches : new List<string> { literal };
            }
            catch (ItemNotFoundException)
            {
                return new[] { literal };
            }
        }
    }
}
