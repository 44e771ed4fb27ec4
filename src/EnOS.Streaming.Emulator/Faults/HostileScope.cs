namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>Which calls a hostile answer replaces.</summary>
    public enum HostileScope
    {
        Streaming,
        Token,
        All,
    }
}
