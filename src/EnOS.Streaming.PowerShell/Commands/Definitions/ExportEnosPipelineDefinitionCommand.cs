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
    /// Writes definitions to a folder, a file per pipeline in one canonical form, so a git diff shows
    /// real changes only; the files of pipelines not in this export are removed (-KeepStale: kept).
    /// No link is ever followed, and nothing is sent.
    /// </summary>
    [Cmdlet(VerbsData.Export, "EnosPipelineDefinition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportEnosPipelineDefinitionCommand : PSCmdlet
    {
        private readonly List<PipelineDefinition> _definitions = new List<PipelineDefinition>();
        private int _written;
        private int _unchanged;
        private int _removed;
        private int _stale;
        private int _failed;
        private int _skipped;
        private int _staleLeft;
        private int _staleFailed;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PipelineDefinition[] InputObject { get; set; } = null!;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public SwitchParameter KeepStale { get; set; }

        // The file names depend on the whole set (two pipelines of one name get their ids added),
        // and what is stale on what was written, so the files are written once every definition has arrived.
        protected override void ProcessRecord() => _definitions.AddRange(InputObject);

        protected override void EndProcessing()
        {
            var folder = GetUnresolvedProviderPathFromPSPath(Path);
            RemoveLeftovers(folder);
            var fileNames = PipelineDefinitionFile.FileNames(_definitions);
            // The files of this export, by path, with what each holds: written, up to date, or skipped (-WhatIf).
            var exported = new Dictionary<string, (PipelineDefinition Definition, byte[] Bytes)>(StringComparer.Ordinal);
            var failedIds = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < _definitions.Count; i++)
            {
                var definition = _definitions[i];
                var file = System.IO.Path.Combine(folder, fileNames[i] ?? PipelineDefinitionFile.FileName(definition, withId: true));
                try
                {
                    if (fileNames[i] == null)
                    {
                        // The others whose file name is this one's, for the message.
                        var name = PipelineDefinitionFile.FileName(definition, withId: true);
                        var sharing = _definitions.Where((other, j) => j != i && string.Equals(PipelineDefinitionFile.FileName(other, withId: true), name, StringComparison.OrdinalIgnoreCase));
                        throw new IOException($"{string.Join(", ", sharing.Select(Describe))} of this export would be written to the same file (the same pipeline twice, "
                                              + "or a definition with no pipelineId to tell it apart). Nothing was written for any of them.");
                    }

                    var bytes = PipelineDefinitionFile.ToBytes(definition);
                    Write(definition, file, bytes);
                    exported[file] = (definition, bytes);
                }
                catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is FormatException)
                {
                    Fail(exception, definition, file, failedIds);
                }
            }

            if (!EnosCmdlet.WhatIfRequestedOf(this))
            {
                Verify(exported, failedIds);
            }

            RemoveStale(folder, exported, failedIds);
            // Written, unchanged, failed and skipped count the definitions (each once); the stale files are counted apart.
            var notDone = new[] { _skipped > 0 ? $"{_skipped} skipped" : null, _staleLeft > 0 ? $"{_staleLeft} stale not removed" : null }
                .Where(part => part != null).ToList();
            SummaryLine.Write(this, $"{_written} written, {_unchanged} unchanged, "
                                    + (KeepStale ? $"{_stale} stale kept" : $"{_removed} removed") + (_staleFailed > 0 ? $" ({_staleFailed} could not be)" : string.Empty)
                                    + $", {_failed} failed"
                                    + (notDone.Count > 0 ? $", {string.Join(", ", notDone)} (-WhatIf or not confirmed)." : "."));
        }

        private void Write(PipelineDefinition definition, string file, byte[] bytes)
        {
            var pipeline = Describe(definition);
            var existing = new FileInfo(file);
            if (PipelineDefinitionFile.IsLink(file))
            {
                throw new IOException("it is a symbolic link, which Export never writes through (it could lead outside the folder). Nothing was written.");
            }

            if (existing.Exists && existing.Length == bytes.Length && Holds(file, bytes))
            {
                // Not even rewritten: the file's time stays too.
                _unchanged++;
                if (EnosCmdlet.WhatIfRequestedOf(this))
                {
                    ShouldProcess(file, $"Leave the definition of {pipeline} as it is (already up to date)");
                }
                else
                {
                    WriteVerbose($"'{file}' is already up to date.");
                }
            }
            else if (ShouldProcess(file, $"{(existing.Exists ? "Update" : "Create")} the definition file of {pipeline}"))
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
                PipelineDefinitionFile.WriteFile(file, bytes);
                _written++;
                WriteVerbose($"Wrote the definition of {pipeline} to '{file}'.");
            }
            else
            {
                _skipped++;
                return;
            }

            if (PassThru)
            {
                WriteObject(new FileInfo(file));
            }
        }

        /// <summary>
        /// Reads every file back: where the file system takes two names as one (case or Unicode
        /// folding), one holds the other's bytes, and that definition failed.
        /// </summary>
        private void Verify(Dictionary<string, (PipelineDefinition Definition, byte[] Bytes)> exported, HashSet<string> failedIds)
        {
            foreach (var entry in exported.ToList())
            {
                if (File.Exists(entry.Key) && !PipelineDefinitionFile.IsLink(entry.Key) && Holds(entry.Key, entry.Value.Bytes))
                {
                    continue;
                }

                _written--;
                exported.Remove(entry.Key);
                Fail(new IOException("the file does not hold this definition after the export: another definition of this export was written over it "
                                     + "(the file system takes two of the file names as one), or it was changed meanwhile."),
                    entry.Value.Definition, entry.Key, failedIds);
            }
        }

        /// <summary>The temporary files of an Export killed half-way: hidden, but `git add -A` would take them.</summary>
        private void RemoveLeftovers(string folder)
        {
            if (!Directory.Exists(folder))
            {
                return;
            }

            foreach (var file in PipelineDefinitionFile.LeftoverTemporaryFiles(folder))
            {
                if (!ShouldProcess(file, "Remove the temporary file left by an Export that was interrupted"))
                {
                    continue;
                }

                try
                {
                    File.Delete(file);
                    WriteVerbose($"Removed '{file}', left by an Export that was interrupted.");
                }
                catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
                {
                    // Nothing of this export depends on it: say so and go on.
                    WriteWarning($"Could not remove '{file}', left by an Export that was interrupted: {exception.Message}");
                }
            }
        }

        /// <summary>
        /// The definition files this export did not write (a pipeline renamed or deleted since), which
        /// Import | Set would bring back. Only plain files that read as definitions are touched, and
        /// a pipeline whose export failed keeps its old file.
        /// </summary>
        private void RemoveStale(string folder, Dictionary<string, (PipelineDefinition Definition, byte[] Bytes)> exported, HashSet<string> failedIds)
        {
            if (!Directory.Exists(folder))
            {
                return;
            }

            if (_definitions.Count == 0)
            {
                WriteWarning($"No definition came to Export-EnosPipelineDefinition, so nothing in '{folder}' was removed as stale (an empty export is more likely a mistake than a service with no pipelines).");
                return;
            }

            foreach (var file in Directory.GetFiles(folder, "*" + PipelineDefinitionFile.Extension).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (exported.ContainsKey(file) || !file.EndsWith(PipelineDefinitionFile.Extension, StringComparison.Ordinal))
                {
                    continue;
                }

                PipelineDefinition old;
                try
                {
                    old = PipelineDefinitionFile.ReadFile(file);
                }
                catch (Exception exception) when (exception is FormatException || exception is IOException || exception is UnauthorizedAccessException)
                {
                    WriteVerbose($"Left '{file}' alone: not a definition file ({exception.Message.TrimEnd('.')}).");
                    continue;
                }

                if (old.PipelineId != null && failedIds.Contains(old.PipelineId))
                {
                    WriteVerbose($"Left '{file}' alone: the export of its pipeline failed.");
                    continue;
                }

                // On a file system that ignores case, the file written may be listed under the old case of its name.
                if (exported.Any(written => string.Equals(written.Key, file, StringComparison.OrdinalIgnoreCase) && Holds(file, written.Value.Bytes)))
                {
                    continue;
                }

                var pipeline = Describe(old);
                if (KeepStale)
                {
                    _stale++;
                    WriteWarning($"'{file}' holds the definition of {pipeline}, which this export did not write (renamed or deleted since?); kept (-KeepStale).");
                }
                else if (ShouldProcess(file, $"Remove the stale definition file of {pipeline} (not in this export)"))
                {
                    try
                    {
                        PipelineDefinitionFile.EnsureWritable(new FileInfo(file));
                        File.Delete(file);
                        _removed++;
                        WriteVerbose($"Removed '{file}': {pipeline} was not in this export.");
                    }
                    catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
                    {
                        // One file that stays is no reason to leave the others, or the summary, out.
                        _staleFailed++;
                        WriteError(EnosErrorRecords.ForStaleFile(exception, pipeline, file));
                    }
                }
                else
                {
                    _staleLeft++;
                }
            }
        }

        private void Fail(Exception exception, PipelineDefinition definition, string file, HashSet<string> failedIds)
        {
            _failed++;
            if (definition.PipelineId != null)
            {
                failedIds.Add(definition.PipelineId);
            }

            WriteError(EnosErrorRecords.ForExport(exception, Describe(definition), file));
        }

        private static bool Holds(string file, byte[] bytes) => File.ReadAllBytes(file).AsSpan().SequenceEqual(bytes);

        private static string Describe(PipelineDefinition definition) =>
            Pipeline.Describe(definition.PipelineId ?? definition.Name ?? string.Empty, definition.PipelineId == null ? null : definition.Name);
    }
}
