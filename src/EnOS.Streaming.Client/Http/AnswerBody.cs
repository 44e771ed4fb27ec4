namespace EnOS.Streaming.Http
{
    /// <summary>A body's text, or the start of it and why it is not an answer.</summary>
    /// <param name="Text">The whole body, or only its start when <paramref name="Problem"/> is set.</param>
    /// <param name="Problem">Why the body cannot be an answer ("was larger than 64 KiB…"), or null.</param>
    internal sealed record AnswerBody(string Text, string? Problem);
}
