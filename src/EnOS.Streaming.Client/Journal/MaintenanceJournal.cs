using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using EnOS.Streaming.Model;

namespace EnOS.Streaming.Journal
{
    /// <summary>
    /// The list a maintenance window must not lose: a JSON line per pause or resume, on disk before the next step, never rewritten.
    /// </summary>
    /// <remarks>
    /// Each line is one write at the end under a byte-range lock far past the data (readers never wait); FileMode.Append would
    /// write at .NET's own position on Unix. The locks are per process, so one process-wide lock comes first (a link names one file too).
    /// </remarks>
    internal sealed class MaintenanceJournal(FileStream file, string? gateway) : IDisposable
    {
        private const long LockOffset = long.MaxValue - 1;
        private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(30);
        private static readonly object ProcessLock = new object();

        // macOS has no byte-range locks in .NET: there, one process at a time may append to a journal.
        private static bool _byteLocksUnsupported;

        private readonly string _run = Guid.NewGuid().ToString("N").Substring(0, 12);
        private bool _closed;

        /// <summary>Opens (or creates) the journal; others may read and append meanwhile. <paramref name="gateway"/> goes in every line.</summary>
        public static MaintenanceJournal Open(string path, string? gateway = null)
        {
            RefuseFolder(path);
            // No buffer: each line is one write call. WriteThrough: on disk when the write returns.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.WriteThrough);
            return new MaintenanceJournal(file, gateway);
        }

        /// <summary>How a journal names a gateway: its host, and the port when not the scheme's default; never user-info, path or query.</summary>
        public static string GatewayName(Uri gatewayUrl) =>
            gatewayUrl.IsDefaultPort ? gatewayUrl.Host : gatewayUrl.Host + ":" + gatewayUrl.Port.ToString(CultureInfo.InvariantCulture);

        /// <summary>Appends one line, on disk when it returns; from any thread. <paramref name="orgId"/> is null only for an entry journaled without one.</summary>
        public void Append(string action, string? orgId, string pipelineId, string? name, ExecutionMode? executionMode, DateTimeOffset time,
            PipelineStatus? listedStatus = null, bool acknowledged = false)
        {
            var fields = new Dictionary<string, object?>
            {
                ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["action"] = action,
                ["pipelineId"] = pipelineId,
                ["name"] = name,
                ["orgId"] = orgId,
                ["gateway"] = gateway,
                ["executionMode"] = executionMode?.ToString(),
                ["listedStatus"] = listedStatus.HasValue ? PipelineStatusText.ToApiText(listedStatus.Value) : null,
                ["run"] = _run,
            };
            if (acknowledged)
            {
                fields["acknowledged"] = true;
            }

            var line = JsonSerializer.Serialize(fields) + "\n";
            lock (ProcessLock)
            {
                if (_closed)
                {
                    // A request that outlived its command (stopped, past the grace period).
                    return;
                }

                var locked = LockFile();
                try
                {
                    var end = file.Seek(0, SeekOrigin.End);
                    // A line cut off by a killed process must not swallow this one.
                    var bytes = Encoding.UTF8.GetBytes(end > 0 && LastByte(end) != '\n' ? "\n" + line : line);
                    file.Seek(0, SeekOrigin.End);
                    file.Write(bytes, 0, bytes.Length);
                    file.Flush(flushToDisk: true);
                }
                finally
                {
                    if (locked)
                    {
                        file.Unlock(LockOffset, 1);
                    }
                }
            }
        }

        /// <summary>Takes the cross-process lock; another writer holds it only for one write, so a held lock is waited for, boundedly.</summary>
        private bool LockFile()
        {
            if (_byteLocksUnsupported)
            {
                return false;
            }

            var deadline = DateTime.UtcNow + LockPatience;
            for (var wait = 1; ; wait = Math.Min(wait * 2, 50))
            {
                try
                {
                    file.Lock(LockOffset, 1);
                    return true;
                }
                catch (PlatformNotSupportedException)
                {
                    _byteLocksUnsupported = true;
                    return false;
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(wait);
                }
            }
        }

        private int LastByte(long end)
        {
            file.Seek(end - 1, SeekOrigin.Begin);
            return file.ReadByte();
        }

        /// <summary>One entry per pipeline; a line not JSON, naming no pipeline or with an unknown action is skipped and named in the Problems.</summary>
        public static JournalReading Read(string path)
        {
            RefuseFolder(path);
            var entries = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
            var order = new List<JournalEntry>();
            var problems = new List<string>();
            var number = 0;
            lock (ProcessLock)
            {
                // Under the process's lock: closing a handle drops every fcntl lock the process holds on the file.
                using (var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8))
                {
                    string? text;
                    while ((text = reader.ReadLine()) != null)
                    {
                        number++;
                        if (text.Trim().Length == 0)
                        {
                            continue;
                        }

                        var line = Parse(text, number, problems);
                        if (line == null)
                        {
                            continue;
                        }

                        var key = line.OrgId + "\n" + line.PipelineId;
                        if (!entries.TryGetValue(key, out var entry))
                        {
                            entry = new JournalEntry(line.PipelineId, line.OrgId);
                            entries.Add(key, entry);
                            order.Add(entry);
                        }

                        entry.Apply(line);
                    }
                }
            }

            return new JournalReading(order, problems);
        }

        // .NET says "Access to the path is denied" for a folder, which sends the user after permissions.
        private static void RefuseFolder(string path)
        {
            if (Directory.Exists(path))
            {
                throw new IOException($"'{path}' is a folder, and a journal is a file: name one in it, such as '{Path.Combine(path, "window.jsonl")}'.");
            }
        }

        private static JournalLine? Parse(string text, int number, List<string> problems)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                problems.Add($"Line {number} is not JSON (a line cut off by a killed run, or an edit); it was skipped.");
                return null;
            }

            using (document)
            {
                var root = document.RootElement;
                var id = root.ValueKind == JsonValueKind.Object ? Text(root, "pipelineId") : null;
                if (string.IsNullOrEmpty(id))
                {
                    problems.Add($"Line {number} names no pipeline (no \"pipelineId\"); it was skipped.");
                    return null;
                }

                var written = Text(root, "action") ?? string.Empty;
                var action = JournalAction.Parse(written, out var exact);
                if (action == null)
                {
                    problems.Add($"Line {number} ({id}) has the action '{written}', which is none of {JournalAction.KnownList}; it was skipped.");
                    return null;
                }

                if (!exact)
                {
                    problems.Add($"Line {number} ({id}) has the action '{written}', read as '{action}' (actions are written in lower case).");
                }

                foreach (var field in TextFields)
                {
                    if (root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.String && value.ValueKind != JsonValueKind.Null)
                    {
                        // Read as missing, which means something (no orgId: the organisation acted in): say so.
                        problems.Add($"Line {number} ({id}) has \"{field}\" as a {value.ValueKind.ToString().ToLowerInvariant()}, not text; it was read as missing.");
                    }
                }

                return new JournalLine
                {
                    LineNumber = number,
                    PipelineId = id!,
                    Action = action,
                    Name = Text(root, "name"),
                    OrgId = Text(root, "orgId"),
                    Gateway = Text(root, "gateway"),
                    Run = Text(root, "run"),
                    Acknowledged = root.TryGetProperty("acknowledged", out var acknowledged) && acknowledged.ValueKind == JsonValueKind.True,
                    ExecutionMode = Enum.TryParse<ExecutionMode>(Text(root, "executionMode") ?? string.Empty, ignoreCase: true, out var mode) ? mode : null,
                    ListedStatus = Text(root, "listedStatus") is string listed ? PipelineStatusText.Parse(listed) : null,
                    Time = DateTimeOffset.TryParse(Text(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null,
                };
            }
        }

        // The fields a line holds as text (pipelineId and action have messages of their own).
        private static readonly string[] TextFields = { "time", "name", "orgId", "gateway", "executionMode", "listedStatus", "run" };

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public void Dispose()
        {
            lock (ProcessLock)
            {
                _closed = true;
                file.Dispose();
            }
        }
    }
}
