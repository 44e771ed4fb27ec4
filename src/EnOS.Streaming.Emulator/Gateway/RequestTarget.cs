namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>
    /// A request target split by hand from the raw text the client sent. ASP.NET's own path and
    /// query handling normalises (e.g. it decodes '+' and resolves dot segments); the emulator must
    /// see exactly what the client encoded, so it never uses them.
    /// </summary>
    public sealed class RequestTarget(string raw, string[] rawSegments, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        /// <summary>The request target exactly as received.</summary>
        public string Raw { get; } = raw;

        /// <summary>Path segments still percent-encoded (without the empty one before the leading '/').</summary>
        public string[] RawSegments { get; } = rawSegments;

        public string[] Segments { get; } = Array.ConvertAll(rawSegments, Uri.UnescapeDataString);

        /// <summary>Decoded query parameters in the order sent (duplicates kept).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Query { get; } = query;

        /// <summary>Decoded query parameters by name; the first occurrence wins.</summary>
        public IReadOnlyDictionary<string, string> QueryByName { get; } = query.DistinctBy(p => p.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);

        /// <summary>The decoded path: segments joined with '/', no leading '/' (e.g. "streaming/v2.0/streaming/pipelines").</summary>
        public string DecodedPath => string.Join('/', Segments);

        public static RequestTarget Parse(string raw)
        {
            var text = raw;
            // Absolute-form targets ("http://host/path") are legal HTTP/1.1; keep only the path part.
            var scheme = text.IndexOf("://", StringComparison.Ordinal);
            if (scheme > 0 && !text.StartsWith('/'))
            {
                var slash = text.IndexOf('/', scheme + 3);
                text = slash < 0 ? "/" : text[slash..];
            }

            text = text.Split('#')[0];
            var mark = text.IndexOf('?');
            var path = mark < 0 ? text : text[..mark];
            var rawSegments = path.StartsWith('/') ? path[1..].Split('/') : path.Split('/');
            // Uri.UnescapeDataString leaves '+' alone, which is what the signing rule expects.
            var query = (mark < 0 ? "" : text[(mark + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(part => part.Split('=', 2))
                .Select(pair => KeyValuePair.Create(Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair.Length > 1 ? pair[1] : "")))
                .ToList();
            return new RequestTarget(raw, rawSegments, query);
        }
    }
}
