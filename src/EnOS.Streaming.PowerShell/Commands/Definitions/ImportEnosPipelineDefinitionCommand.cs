using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Bulk;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Reads definition files (as Export-EnosPipelineDefinition writes them) back into objects; a
    /// folder means its *.json files. The definitions are written once all are read, so that two
    /// files of one pipelineId (one left from before a rename) are both refused.
    /// </summary>
    [Cmdlet(VerbsData.Import, "EnosPipelineDefinition", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(PipelineDefinition))]
    public sealed class ImportEnosPipelineDefinitionCommand : PSCmdlet
    {
        private readonly List<PipelineDefinition> _read = new List<PipelineDefinition>();
        private int _failed;

        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = null!;

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = null!;

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var given in literal ? LiteralPath : Path)
            {
                string[] resolved;
                try
                {
                    resolved = literal
                        ? new[] { GetUnresolvedProviderPathFromPSPath(given) }
                        : GetResolvedProviderPathFromPSPath(given, out _).ToArray();
                }
                catch (Exception exception) when (exception is ItemNotFoundException || exception is System.Management.Automation.DriveNotFoundException || exception is ProviderNotFoundException)
                {
                    NotFound(exception, given);
                    continue;
                }

                foreach (var path in resolved)
                {
                    if (Directory.Exists(path))
                    {
                        // Sorted, so that the objects come in the same order on every system.
                        foreach (var file in Directory.GetFiles(path, "*" + PipelineDefinitionFile.Extension).OrderBy(f => f, StringComparer.Ordinal))
                        {
                            Read(file);
                        }
                    }
                    else if (File.Exists(path))
                    {
                        Read(path);
                    }
                    else
                    {
                        NotFound(new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."), path);
                    }
                }
            }
        }

        protected override void EndProcessing()
        {
            var (alone, shared) = PipelineDefinition.SplitSharedIds(_read);
            foreach (var group in shared)
            {
                _failed += group.Count;
                WriteError(EnosErrorRecords.ForDuplicateDefinitions(group[0].PipelineId!, group));
            }

            foreach (var definition in alone)
            {
                WriteObject(definition);
            }

            SummaryLine.Write(this, $"{alone.Count} read, {_failed} failed.");
        }

        // As PowerShell's own file cmdlets report a path that is not there.
        private void NotFound(Exception exception, string path)
        {
            _failed++;
            WriteError(new ErrorRecord(exception, "PathNotFound", ErrorCategory.ObjectNotFound, path));
        }

        private void Read(string file)
        {
            try
            {
                var definition = PipelineDefinitionFile.ReadFile(file);
                WriteVerbose($"Read the definition of pipeline '{definition.Name}' from '{file}'.");
                _read.Add(definition);
            }
            catch (Exception exception) when (exception is FormatException || exception is IOException || exception is UnauthorizedAccessException)
            {
                _failed++;
                WriteError(EnosErrorRecords.ForDefinitionFile(exception, file));
            }
        }
    }
}
