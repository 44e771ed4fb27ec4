using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Writes definitions to a folder, one file per pipeline named after it, in one canonical form:
    /// exporting again with nothing changed rewrites no byte, so a git diff shows real changes only.
    /// No network: pipe Get-EnosPipelineDefinition into it.
    /// </summary>
    [Cmdlet(VerbsData.Export, "EnosPipelineDefinition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportEnosPipelineDefinitionCommand : PSCmdlet
    {
        private readonly List<PipelineDefinition> _definitions = new List<PipelineDefinition>();

        /// <summary>The folder to write to; created if missing.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PipelineDefinition[] InputObject { get; set; } = null!;

        /// <summary>Writes the file of each definition (written or already up to date).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        // The file names depend on the whole set (two pipelines of one name get their ids added),
        // so the files are written once every definition has arrived.
        protected override void ProcessRecord() => _definitions.AddRange(InputObject);

        protected override void EndProcessing()
        {
            var folder = GetUnresolvedProviderPathFromPSPath(Path);
            var shared = new HashSet<string>(
                _definitions.GroupBy(d => PipelineDefinitionFile.FileName(d, withId: false), StringComparer.OrdinalIgnoreCase)
                    .Where(group => group.Count() > 1).Select(group => group.Key),
                StringComparer.OrdinalIgnoreCase);
            foreach (var definition in _definitions)
            {
                var fileName = PipelineDefinitionFile.FileName(definition, withId: shared.Contains(PipelineDefinitionFile.FileName(definition, withId: false)));
                var file = System.IO.Path.Combine(folder, fileName);
                try
                {
                    Write(definition, file);
                }
                catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is FormatException)
                {
                    WriteError(EnosErrorRecords.ForExport(exception, Pipeline.Describe(definition.PipelineId ?? string.Empty, definition.Name), file));
                }
            }
        }

        private void Write(PipelineDefinition definition, string file)
        {
            var bytes = PipelineDefinitionFile.ToBytes(definition);
            var unchanged = File.Exists(file) && File.ReadAllBytes(file).AsSpan().SequenceEqual(bytes);
            if (unchanged)
            {
                // Not even rewritten: the file's time stays too.
                WriteVerbose($"'{file}' is already up to date.");
            }
            else if (ShouldProcess(file, File.Exists(file) ? "Update pipeline definition file" : "Create pipeline definition file"))
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, bytes);
                WriteVerbose($"Wrote the definition of {Pipeline.Describe(definition.PipelineId ?? string.Empty, definition.Name)} to '{file}'.");
            }
            else
            {
                return;
            }

            if (PassThru)
            {
                WriteObject(new FileInfo(file));
            }
        }
    }
}
