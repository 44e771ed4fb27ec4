namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>
    /// Makes List Pipelines lie the ways a client must survive without looping or writing
    /// duplicates: a wrong <c>count</c>, pages that repeat, pages that overlap.
    /// </summary>
    public sealed class ListingLies
    {
        private volatile ListingLieSettings _settings = ListingLieSettings.None;

        public ListingLieSettings Settings => _settings;

        public void Configure(ListingLieSettings settings) => _settings = settings;

        public void Clear() => _settings = ListingLieSettings.None;

        /// <summary>The offset page <paramref name="pageNo"/> of <paramref name="size"/> starts at, and the count to report.</summary>
        public (long Offset, int Count) Apply(int pageNo, int size, int trueCount)
        {
            var settings = _settings;
            var effectivePage = settings.RepeatFrom is { } from && pageNo >= from ? Math.Max(1, from - 1) : pageNo;
            var step = Math.Max(1, size - settings.Overlap);
            var offset = (long)(effectivePage - 1) * step;
            return (offset, settings.Count ?? trueCount);
        }
    }
}
