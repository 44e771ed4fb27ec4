namespace EnOS.Streaming.Emulator
{
    /// <summary>
    /// The names the admin endpoints use for the values of a kind (fault kinds, hostile kinds):
    /// one table read both ways, matched ignoring case when parsed.
    /// </summary>
    public sealed class KindNames<TKind>(params (string Name, TKind Kind)[] names)
        where TKind : struct, Enum
    {
        public IEnumerable<TKind> All => names.Select(n => n.Kind);

        /// <summary>The names, for error messages: "a, b, c".</summary>
        public string Known => string.Join(", ", names.Select(n => n.Name));

        public string Name(TKind kind) => names.First(n => EqualityComparer<TKind>.Default.Equals(n.Kind, kind)).Name;

        public bool TryParse(string? text, out TKind kind)
        {
            foreach (var (name, value) in names)
            {
                if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    kind = value;
                    return true;
                }
            }
            kind = default;
            return false;
        }
    }
}
