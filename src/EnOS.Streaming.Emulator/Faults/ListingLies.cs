namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>
    /// Makes List Pipelines lie the ways a client must survive without looping or writing
    /// duplicates: a wrong <c>count</c>, pages that repeat, pages that overlap.
    /// </summary>
    public sealed class ListingLies() : AdminSwitch<ListingLieSettings>(ListingLieSettings.None)
    {
        /// <summary>Where page <paramref name="pageNo"/> of <paramref name="size"/> starts (past the end: an empty page).</summary>
        public int Offset(int pageNo, int size)
        {
            var settings = Settings;
            var page = settings.RepeatFrom is { } from && pageNo >= from ? Math.Max(1, from - 1) : pageNo;
            var step = Math.Max(1, size - settings.Overlap);
            return (int)Math.Min(int.MaxValue, (long)(page - 1) * step);
        }

        public int Count(int trueCount) => Settings.Count ?? trueCount;
    }
}
