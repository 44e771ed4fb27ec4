using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace EnOS.Streaming
{
    /// <summary>
    /// The list a maintenance window must not lose: JSON lines appended as each pipeline is paused
    /// or resumed, each flushed to disk before the next step, so that a re-run, a failure midway
    /// or a killed process leaves a file that says exactly what to bring back. Opening appends;
    /// nothing ever rewrites or truncates the file.
    /// </summary>
    public sealed class MaintenanceJournal : IDisposable
    {
        private readonly FileStream _file;
        private readonly object _lock = new object();
        private bool _closed;

        private MaintenanceJournal(FileStream file, string path)
        {
            _file = file;
            Path = path;
        }

        public string Path { get; }

        /// <summary>Opens (or creates) the journal for appending; other processes may read it meanwhile.</summary>
        public static MaintenanceJournal Open(string path)
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.WriteThrough);
            try
            {
                // A line cut off by a killed process must not swallow the next run's first line.
                if (file.Length > 0)
                {
                    file.Seek(-1, SeekOrigin.End);
                    if (file.ReadByte() != '\n')
                    {
                        file.WriteByte((byte)'\n');
                    }
                }

                file.Seek(0, SeekOrigin.End);
                return new MaintenanceJournal(file, path);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>Appends one line and flushes it to disk; callable from any thread.</summary>
        public void Append(string action, string orgId, string pipelineId, string? name, ExecutionMode? executionMode, DateTimeOffset time)
        {
            var line = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["action"] = action,
                ["pipelineId"] = pipelineId,
                ["name"] = name,
                ["orgId"] = orgId,
                ["executionMode"] = executionMode?.ToString(),
            }) + "\n";
            var bytes = Encoding.UTF8.GetBytes(line);
            lock (_lock)
            {
                if (_closed)
                {
                    // A request that outlived its command (stopped, past the grace period).
                    return;
                }

                _file.Write(bytes, 0, bytes.Length);
                _file.Flush(flushToDisk: true);
            }
        }

        /// <summary>
        /// The pipelines the journal says are paused and not yet resumed, once each, in the order
        /// they were paused: those whose last line is "paused", or "pausing" (a run ended before
        /// it knew the outcome; the resume only starts them if they are listed PAUSED). Lines that
        /// do not parse (a line cut off when a process was killed) are counted in
        /// <paramref name="unreadable"/> and skipped.
        /// </summary>
        public static List<JournalEntry> ReadPending(string path, out int unreadable)
        {
            var last = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
            var order = new List<string>();
            unreadable = 0;
            using (var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    if (line.Trim().Length == 0)
                    {
                        continue;
                    }

                    var entry = Parse(line);
                    if (entry == null)
                    {
                        unreadable++;
                        continue;
                    }

                    var key = entry.OrgId + "\n" + entry.PipelineId;
                    if (!last.ContainsKey(key))
                    {
                        order.Add(key);
                    }

                    // A "pausing" line after a known outcome is a later run's; an outcome after it settles it.
                    last[key] = entry;
                }
            }

            var pending = new List<JournalEntry>();
            foreach (var key in order)
            {
                var entry = last[key];
                if (entry.Action == JournalAction.Paused || entry.Action == JournalAction.Pausing)
                {
                    pending.Add(entry);
                }
            }

            return pending;
        }

        private static JournalEntry? Parse(string line)
        {
            try
            {
                using (var document = JsonDocument.Parse(line))
                {
                    var root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object
                        || !root.TryGetProperty("pipelineId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0
                        || !root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    var entry = new JournalEntry
                    {
                        PipelineId = id.GetString()!,
                        Action = action.GetString()!,
                        Name = Text(root, "name"),
                        OrgId = Text(root, "orgId"),
                    };
                    if (Enum.TryParse<ExecutionMode>(Text(root, "executionMode") ?? string.Empty, ignoreCase: true, out var mode))
                    {
                        entry.ExecutionMode = mode;
                    }

                    if (DateTimeOffset.TryParse(Text(root, "time"), System.Globalization.CultureInfo.InvariantCulture,
                            System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
                    {
                        entry.Time = time;
                    }

                    return entry;
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public void Dispose()
        {
            lock (_lock)
            {
                _closed = true;
                _file.Dispose();
            }
        }
    }
}
