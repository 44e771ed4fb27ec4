namespace EnOS.Streaming.Emulator.Api
{
    /// <summary>Which Stream Processing v2.0 operation a request names, read from its raw path.</summary>
    public static class StreamingRoute
    {
        private static readonly string[] Base = ["streaming", "v2.0", "streaming"];

        /// <summary>Matches the raw path; the pipeline id is exactly one segment, percent-decoded.</summary>
        public static bool TryMatch(string method, RequestTarget target, out StreamingOperation operation, out string? pipelineId)
        {
            operation = default;
            pipelineId = null;
            var raw = target.RawSegments;
            if (raw.Length < 4 || !raw.AsSpan(0, 3).SequenceEqual(Base))
            {
                return false;
            }

            var get = HttpMethods.IsGet(method);
            var post = HttpMethods.IsPost(method);
            if (raw.Length == 4 && raw[3] == "pipelines" && get)
            {
                operation = StreamingOperation.ListPipelines;
                return true;
            }
            if (raw[3] != "pipeline" || raw.Length is < 5 or > 6 || raw[4].Length == 0)
            {
                return false;
            }

            pipelineId = target.Segments[4];
            (var matched, operation) = (raw.Length == 5 ? null : raw[5], get, post) switch
            {
                (null, true, _) => (true, StreamingOperation.GetDetails),
                (null, _, true) => (true, StreamingOperation.PipelineAction),
                ("offset-lag", true, _) => (true, StreamingOperation.GetOffsetLag),
                ("offset", _, true) => (true, StreamingOperation.ResetOffset),
                _ => (false, default),
            };
            if (!matched)
            {
                pipelineId = null;
            }

            return matched;
        }
    }
}
