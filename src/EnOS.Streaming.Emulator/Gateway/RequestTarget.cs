namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>
    /// A request target split by hand from the raw text the client sent. ASP.NET's own path and
    /// query handling normalises (e.g. it decodes '+' and resolves dot segments); the emulator must
    /// see exactly what the client encoded, so it never uses them.
    /// </summary>
    public sealed class RequestTarget
    {
        private RequestTarget(string raw, string[] rawSegments, IReadOnlyList<KeyValuePair<string, string>> query)
        {
            Raw = raw;
            RawSegments = rawSegments;
            Segments = Array.ConvertAll(rawSegments, Uri.UnescapeDataString);
            Query = query;
            var first = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in query)
            {
                first.TryAdd(name, value);
            }

            QueryByName = first;
        }

        /// <summary>The request target exactly as received.</summary>
        public string Raw { get; }

        /// <summary>Path segments still percent-encoded (without the empty one before the leading '/').</summary>
        public string[] RawSegments { get; }

        /// <summary>Path segments percent-decoded.</summary>
        public string[] Segments { get; }

        /// <summary>Decoded query parameters in the order sent (duplicates kept).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

        /// <summary>Decoded query parameters by name; the first occurrence wins.</summary>
        public IReadOnlyDictionary<string, string> QueryByName { get; }

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

            var hash = text.IndexOf('#');
            if (hash >= 0)
            {
                text = text[..hash];
            }

            var mark = text.IndexOf('?');
            var path = mark < 0 ? text : text[..mark];
            var queryText = mark < 0 ? "" : text[(mark + 1)..];

            var rawSegments = path.StartsWith('/') ? path[1..].Split('/') : path.Split('/');
            return new RequestTarget(raw, rawSegments, ParseQuery(queryText));
        }

        private static List<KeyValuePair<string, string>> ParseQuery(string queryText)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var part in queryText.Split('&'))
            {
                if (part.Length == 0)
                {
                    continue;
                }

                var eq = part.IndexOf('=');
                var name = eq < 0 ? part : part[..eq];
                var value = eq < 0 ? "" : part[(eq + 1)..];
                // Uri.UnescapeDataString leaves '+' alone, which is what the signing rule expects.
                pairs.Add(new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
            }
            return pairs;
        }
    }
}
