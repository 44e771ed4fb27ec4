using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EnOS.Streaming.Definitions;
using EnOS.Streaming.Http;

namespace EnOS.Streaming
{
    /// <summary>
    /// Definitions as files for version control, in one canonical form (fixed field order, keys sorted, LF, UTF-8) so a diff shows
    /// only real changes; read strictly, saying what is wrong and where; never through a link.
    /// </summary>
    public static class PipelineDefinitionFile
    {
        public const string Extension = ".json";

        /// <summary>The most a definition file may hold: the client's cap on one answer of the service, 16 MiB.</summary>
        public const int MaxFileBytes = AnswerReader.LargeAnswerLimit;

        /// <summary>The longest file name: ext4, XFS and APFS take 255 bytes (NTFS 255 UTF-16 units, never fewer).</summary>
        public const int MaxFileNameBytes = 255;

        /// <summary>Temporary files' name start: a killed Export's leftovers are recognised, and Import never reads them (never .json).</summary>
        public const string TemporaryPrefix = ".enos-export-";

        /// <summary>The deepest nesting read: System.Text.Json's default, which reading the service's answers uses too.</summary>
        private const int MaxDepth = 64;

        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        // Written as the configuration is (PipelineConfiguration.Indented); a field not set is left out.
        private static readonly JsonSerializerOptions FileJson = new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = PipelineConfiguration.Indented.Encoder,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = RequestBodies.LeaveOutUnset.MaxDepth, // a configuration as deep as is read, inside the file's object
        };

        private static readonly string[] Fields =
            { "name", "pipelineId", "orgId", "description", "version", "templateType", "templateName", "messageChannel", "pipelineJson" };

        /// <summary>The file's bytes for a definition. Throws <see cref="FormatException"/> when its PipelineJson is not a JSON object.</summary>
        public static byte[] ToBytes(PipelineDefinition definition)
        {
            var text = JsonSerializer.Serialize(
                new
                {
                    name = definition.Name,
                    pipelineId = definition.PipelineId,
                    orgId = definition.OrgId,
                    description = definition.Description,
                    version = definition.Version,
                    templateType = definition.TemplateType,
                    templateName = definition.TemplateName,
                    messageChannel = definition.MessageChannel,
                    pipelineJson = definition.PipelineJson == null
                        ? (JsonElement?)null
                        : JsonSerializer.Deserialize<JsonElement>(PipelineConfiguration.Canonical(definition.PipelineJson), FileJson),
                },
                FileJson);

            // JSON strings cannot hold a raw line break, so every CR LF here is the writer's own.
            return Utf8.GetBytes(text.Replace("\r\n", "\n") + "\n");
        }

        /// <summary>The configuration in canonical form, as the format view shows it too. Throws <see cref="FormatException"/> for text that is not a JSON object.</summary>
        public static string CanonicalJson(string pipelineJson) => PipelineConfiguration.Canonical(pipelineJson);

        /// <summary>Reads a definition file. Throws <see cref="FormatException"/> naming what is wrong (the caller names the file).</summary>
        public static PipelineDefinition Read(byte[] bytes, string path)
        {
            var root = ReadObject(bytes);
            var definition = new PipelineDefinition
            {
                Name = Text(root, "name"),
                PipelineId = Text(root, "pipelineId"),
                OrgId = Text(root, "orgId"),
                Description = Text(root, "description"),
                Version = Text(root, "version"),
                TemplateType = Integer(root, "templateType"),
                TemplateName = Text(root, "templateName"),
                MessageChannel = Integer(root, "messageChannel"),
                Path = path,
            };
            if (string.IsNullOrWhiteSpace(definition.Name))
            {
                throw new FormatException("it has no \"name\": the pipeline's name is what a definition is saved under.");
            }

            if (!root.TryGetProperty("pipelineJson", out var configuration) || configuration.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException(configuration.ValueKind == JsonValueKind.Undefined
                    ? "it has no \"pipelineJson\" (the pipeline's configuration, a JSON object)."
                    : $"its \"pipelineJson\" is a JSON {PipelineConfiguration.Kind(configuration)}, not an object.");
            }

            definition.PipelineJson = PipelineConfiguration.Canonical(configuration);
            return definition;
        }

        /// <summary>The file's JSON object, checked to hold only a definition's fields.</summary>
        private static JsonElement ReadObject(byte[] bytes)
        {
            var text = AnswerReader.Utf8Text(bytes) ?? throw new FormatException("it is not UTF-8 text.");
            // The text's own bytes: without a byte order mark, the positions in messages count from the text.
            CheckStrict(Utf8.GetBytes(text));
            JsonElement root;
            try
            {
                using (var document = JsonDocument.Parse(text))
                {
                    root = document.RootElement.Clone();
                }
            }
            catch (JsonException exception)
            {
                throw new FormatException($"it is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}).");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"it holds a JSON {PipelineConfiguration.Kind(root)}, not a pipeline definition (an object with \"name\" and \"pipelineJson\").");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new FormatException($"it has the field \"{property.Name}\", which a pipeline definition does not have (expected: {string.Join(", ", Fields)}).");
                }
            }

            return root;
        }

        /// <summary>Refuses a key twice in one object (a diff and the save could read different values) and a lone surrogate, which JsonDocument lets through.</summary>
        private static void CheckStrict(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth });
            var keys = new Stack<HashSet<string>?>();
            try
            {
                while (reader.Read())
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject:
                            keys.Push(new HashSet<string>(StringComparer.Ordinal));
                            break;
                        case JsonTokenType.StartArray:
                            keys.Push(null);
                            break;
                        case JsonTokenType.EndObject:
                        case JsonTokenType.EndArray:
                            keys.Pop();
                            break;
                        case JsonTokenType.PropertyName:
                            var key = Decoded(ref reader, json);
                            if (!keys.Peek()!.Add(key))
                            {
                                throw new FormatException($"it has the key \"{key}\" twice in one object ({Place(json, reader.TokenStartIndex)}); a reader could take either value.");
                            }

                            break;
                        case JsonTokenType.String:
                            Decoded(ref reader, json);
                            break;
                    }
                }
            }
            catch (JsonException exception)
            {
                // Valid JSON nested deeper than any reader here takes would otherwise be called invalid.
                throw new FormatException(reader.CurrentDepth >= MaxDepth
                    ? $"it is nested more than {MaxDepth} levels deep (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}), deeper than a definition is read."
                    : $"it is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}).");
            }
        }

        private static string Decoded(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
        {
            try
            {
                return reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                throw new FormatException($"it has a lone surrogate (a \\uD800-\\uDFFF escape without its partner) in a string ({Place(json, reader.TokenStartIndex)}), which no text can hold.");
            }
        }

        /// <summary>"line 3, position 5" of a byte offset, for messages.</summary>
        private static string Place(ReadOnlySpan<byte> json, long offset)
        {
            var line = 1;
            var lineStart = 0L;
            for (var i = 0; i < offset; i++)
            {
                if (json[i] == (byte)'\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return $"line {line}, position {offset - lineStart + 1}";
        }

        /// <summary>Reads a definition file, never through a link nor past MaxFileBytes: FormatException for no definition, IOException for no plain file.</summary>
        public static PipelineDefinition ReadFile(string path)
        {
            var file = new FileInfo(path);
            EnsurePlainFile(file);
            if (file.Length == 0)
            {
                // FIFOs and devices report no length (and a FIFO's open waits for a writer): such a file is never opened.
                throw new IOException("it is empty, or not a plain file (a FIFO, device or socket reports no length); it was not opened.");
            }

            if (file.Length > MaxFileBytes)
            {
                throw new IOException($"it holds {file.Length} bytes; a definition file holds at most {MaxFileBytes} (16 MiB).");
            }

            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            using (var buffer = new MemoryStream())
            {
                // Up to the cap and one byte more, whatever the length said: the file may be growing.
                var chunk = new byte[81920];
                int read;
                while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxFileBytes + 1L - buffer.Length))) > 0)
                {
                    buffer.Write(chunk, 0, read);
                }

                if (buffer.Length > MaxFileBytes)
                {
                    throw new IOException($"it holds more than {MaxFileBytes} bytes (16 MiB), the most a definition file holds.");
                }

                return Read(buffer.ToArray(), path);
            }
        }

        /// <summary>Writes a file beside it renamed over <paramref name="path"/>: a rename never writes through a (hard) link, even one planted after the check.</summary>
        public static void WriteFile(string path, byte[] bytes)
        {
            var file = new FileInfo(path);
            EnsurePlainFile(file);
            EnsureWritable(file);
            var temporary = System.IO.Path.Combine(file.DirectoryName!, TemporaryPrefix + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                // CreateNew fails on anything already there, a link included: it is never followed.
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                }

                if (File.Exists(path))
                {
                    File.Replace(temporary, path, null);
                }
                else
                {
                    File.Move(temporary, path);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        /// <summary>The temporary files in <paramref name="folder"/> that an Export killed between writing and renaming left behind (plain files only).</summary>
        public static IReadOnlyList<string> LeftoverTemporaryFiles(string folder) =>
            Directory.GetFiles(folder, TemporaryPrefix + "*.tmp").Where(file => !IsLink(file)).OrderBy(file => file, StringComparer.Ordinal).ToList();

        /// <summary>True when <paramref name="path"/> is a symbolic link (or another reparse point), to a file or a folder, dangling or not.</summary>
        public static bool IsLink(string path)
        {
            // A link to a folder is no file to FileInfo; a dangling link is one.
            FileSystemInfo entry = new FileInfo(path);
            if (!entry.Exists)
            {
                entry = new DirectoryInfo(path);
            }

            return entry.Exists && (entry.Attributes & FileAttributes.ReparsePoint) != 0;
        }

        /// <summary>Refuses a read-only file, which a rename would replace on Linux and macOS: it is someone's "do not change".</summary>
        public static void EnsureWritable(FileInfo file)
        {
            if (file.Exists && file.IsReadOnly)
            {
                throw new IOException("it is read-only, and Export never replaces or removes a file made read-only (make it writable to let Export change it).");
            }
        }

        private static void EnsurePlainFile(FileInfo file)
        {
            if (IsLink(file.FullName))
            {
                throw new IOException("it is a symbolic link, which is never followed (it could lead outside the folder).");
            }

            if (Directory.Exists(file.FullName))
            {
                throw new IOException("it is a folder.");
            }
        }

        /// <summary>Each definition's file name, distinct also ignoring case (the id added to shared names); null for one still shared.</summary>
        public static IReadOnlyList<string?> FileNames(IReadOnlyList<PipelineDefinition> definitions)
        {
            var withId = new bool[definitions.Count];
            while (true)
            {
                var names = definitions.Select((definition, i) => FileName(definition, withId[i])).ToArray();
                var shared = new HashSet<int>(Enumerable.Range(0, names.Length)
                    .GroupBy(i => names[i].Normalize(NormalizationForm.FormC), StringComparer.OrdinalIgnoreCase)
                    .Where(group => group.Count() > 1)
                    .SelectMany(group => group));
                var changed = false;
                foreach (var i in shared.Where(i => !withId[i] && definitions[i].PipelineId != null))
                {
                    withId[i] = true;
                    changed = true;
                }

                if (!changed)
                {
                    return names.Select((name, i) => shared.Contains(i) ? null : name).ToArray();
                }
            }
        }

        /// <summary>The name with what no file system takes replaced by '_', the id added with <paramref name="withId"/> or when cut to MaxFileNameBytes.</summary>
        public static string FileName(PipelineDefinition definition, bool withId)
        {
            var name = string.IsNullOrWhiteSpace(definition.Name) ? definition.PipelineId ?? "pipeline" : definition.Name!;
            var stem = new string(name.Select(c => c < 32 || c == 127 || "<>:\"/\\|?*".IndexOf(c) >= 0 ? '_' : c).ToArray()).Trim().TrimEnd('.');
            if (stem.Length == 0 || IsReservedOnWindows(stem))
            {
                stem = "_" + stem;
            }

            var id = definition.PipelineId == null ? null : "." + FileName(new PipelineDefinition { Name = definition.PipelineId }, false).Replace(Extension, string.Empty);
            var ending = (withId ? id : null) + Extension;
            if (Utf8.GetByteCount(stem + ending) > MaxFileNameBytes)
            {
                // No file system takes the whole name: it is cut short, and the id keeps two cut names apart.
                ending = id + Extension;
                stem = Shortened(stem, MaxFileNameBytes - Utf8.GetByteCount(ending));
            }

            return stem + ending;
        }

        /// <summary>The start of <paramref name="stem"/> that fits in <paramref name="bytes"/> UTF-8 bytes, never half a character.</summary>
        private static string Shortened(string stem, int bytes)
        {
            var length = 0;
            var used = 0;
            while (length < stem.Length)
            {
                var next = char.IsHighSurrogate(stem[length]) && length + 1 < stem.Length ? 2 : 1;
                var size = Utf8.GetByteCount(stem.Substring(length, next));
                if (used + size > bytes)
                {
                    break;
                }

                used += size;
                length += next;
            }

            // Windows drops a trailing dot or space from a name: the cut must not end in one.
            return stem.Substring(0, length).TrimEnd('.', ' ');
        }

        private static bool IsReservedOnWindows(string stem)
        {
            var root = stem.Split('.')[0].ToUpperInvariant();
            return root == "CON" || root == "PRN" || root == "AUX" || root == "NUL"
                   || (root.Length == 4 && (root.StartsWith("COM", StringComparison.Ordinal) || root.StartsWith("LPT", StringComparison.Ordinal)) && char.IsDigit(root[3]));
        }

        private static string? Text(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new FormatException($"its \"{name}\" is a JSON {PipelineConfiguration.Kind(value)}, not a string.");
        }

        private static int? Integer(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                return number;
            }

            var whole = value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var exact) && decimal.Truncate(exact) == exact;
            throw new FormatException($"its \"{name}\" is {(value.ValueKind != JsonValueKind.Number ? "a JSON " + PipelineConfiguration.Kind(value) : whole ? value.GetRawText() : "not a whole number")}; "
                                      + "it must be a whole number from -2147483648 to 2147483647.");
        }
    }
}
