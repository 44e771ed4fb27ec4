namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>
    /// The order of pipeline ids in the listing: digit runs compared as numbers, so pl-9999 comes
    /// before pl-10000 and the seeded order stays pl-0001, pl-0002, … however many are seeded.
    /// Ties fall back to ordinal.
    /// </summary>
    public sealed class PipelineIdOrder : IComparer<string>
    {
        public static readonly PipelineIdOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return string.CompareOrdinal(x, y);
            }

            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
                {
                    var a = DigitRun(x, ref i);
                    var b = DigitRun(y, ref j);
                    var byValue = a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
                    if (byValue != 0)
                    {
                        return byValue;
                    }
                }
                else if (x[i] != y[j])
                {
                    return x[i].CompareTo(y[j]);
                }
                else
                {
                    i++;
                    j++;
                }
            }
            var rest = (x.Length - i).CompareTo(y.Length - j);
            return rest != 0 ? rest : string.CompareOrdinal(x, y);
        }

        /// <summary>The digits from <paramref name="i"/> on, without leading zeros; moves <paramref name="i"/> past them.</summary>
        private static ReadOnlySpan<char> DigitRun(string text, ref int i)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            return text.AsSpan(start, i - start).TrimStart('0');
        }
    }
}
