namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>
    /// Answers a hostile or broken gateway gives, which a client must not trust or hoard; each is
    /// described in docs/emulator.md and written by <see cref="HostileAnswers.WriteAsync"/>.
    /// </summary>
    public enum HostileKind
    {
        Redirect,
        Bomb,
        Endless,
        SlowBody,
        Charset,
        BadUtf8,
        Echo,
        EchoPage,
    }
}
