namespace EnOS.Streaming.Http
{
    /// <summary>A body's text, or the start of it and why it is not an answer.</summary>
    internal sealed class AnswerBody
    {
        public AnswerBody(string text, string? problem)
        {
            Text = text;
            Problem = problem;
        }

        /// <summary>The whole body, or only its start when <see cref="Problem"/> is set.</summary>
        public string Text { get; }

        /// <summary>Why the body cannot be an answer ("was larger than 64 KiB…"), or null.</summary>
        public string? Problem { get; }
    }
}
