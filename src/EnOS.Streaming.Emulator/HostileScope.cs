namespace EnOS.Streaming.Emulator
{
    /// <summary>Which calls a hostile answer replaces.</summary>
    public enum HostileScope
    {
        Streaming,
        Token,
        All,
    }
}
