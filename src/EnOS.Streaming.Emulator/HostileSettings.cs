namespace EnOS.Streaming.Emulator
{
    /// <summary>What PUT /_emulator/hostile configured.</summary>
    /// <param name="Scope">"streaming", "token" or "all": which calls get the answer.</param>
    /// <param name="Limit">The most hostile answers in all (null: every matching call).</param>
    public sealed record HostileSettings(
        HostileKind Kind, string Scope, int RedirectStatus, string Location, int BombMiB, int TrickleMs, string Charset, int? Limit, int EchoStatus = 400)
    {
        public object ToJson() => new
        {
            kind = HostileAnswers.Name(Kind),
            scope = Scope,
            redirectStatus = RedirectStatus,
            location = Location,
            bombMiB = BombMiB,
            trickleMs = TrickleMs,
            charset = Charset,
            limit = Limit,
            echoStatus = EchoStatus,
        };
    }
}
