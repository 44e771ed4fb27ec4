namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>What PUT /_emulator/listing-lies configured: how List Pipelines misleads a client.</summary>
    /// <param name="Count">The <c>count</c> every page reports instead of the true total (null: the truth).</param>
    /// <param name="RepeatFrom">From this page number on, every page repeats this page's predecessor's content (null: never).</param>
    /// <param name="Overlap">How many pipelines of the previous page each page starts with again.</param>
    public sealed record ListingLieSettings(int? Count = null, int? RepeatFrom = null, int Overlap = 0) : IAdminBody<ListingLieSettings>
    {
        public static readonly ListingLieSettings None = new();

        public ListingLieSettings Checked()
        {
            Check.Range(Count, 0, int.MaxValue, "count");
            Check.Range(RepeatFrom, 2, int.MaxValue, "repeatFrom");
            Check.Range(Overlap, 0, int.MaxValue, "overlap");
            return this;
        }
    }
}
