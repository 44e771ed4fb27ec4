namespace EnOS.Streaming.Emulator
{
    /// <summary>What PUT /_emulator/listing-lies configured: how List Pipelines misleads a client.</summary>
    /// <param name="Count">The <c>count</c> every page reports instead of the true total (null: the truth).</param>
    /// <param name="RepeatFrom">From this page number on, every page repeats this page's predecessor's content (null: never).</param>
    /// <param name="Overlap">How many pipelines of the previous page each page starts with again.</param>
    public sealed record ListingLieSettings(int? Count, int? RepeatFrom, int Overlap)
    {
        public static readonly ListingLieSettings None = new(null, null, 0);

        public object ToJson() => new { count = Count, repeatFrom = RepeatFrom, overlap = Overlap };
    }
}
