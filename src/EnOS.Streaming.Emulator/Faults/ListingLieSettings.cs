namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>What PUT /_emulator/listing-lies configured (docs/emulator.md); null: the truth.</summary>
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
