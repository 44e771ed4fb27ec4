namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>What PUT /_emulator/hostile configured (see docs/emulator.md for each setting).</summary>
    /// <param name="Scope">Which calls get the answer.</param>
    /// <param name="Limit">The most hostile answers in all (null: every matching call).</param>
    public sealed record HostileSettings(
        HostileKind Kind, HostileScope Scope = HostileScope.Streaming, int RedirectStatus = 302, string Location = "http://127.0.0.2:9",
        int BombMiB = 64, int TrickleMs = 500, string Charset = "x-unknown-charset", int? Limit = null, int EchoStatus = 400)
        : IAdminBody<HostileSettings>
    {
        public HostileSettings Checked()
        {
            Check.That(Enum.IsDefined(Kind), $"Unknown kind. Known: {Check.Names<HostileKind>()}.");
            Check.That(Enum.IsDefined(Scope), "'scope' must be streaming, token or all.");
            Check.Range(RedirectStatus, 300, 399, "redirectStatus");
            Check.That(Uri.TryCreate(Location, UriKind.Absolute, out _), "'location' must be an absolute URL.");
            Check.Range(BombMiB, 1, 1024, "bombMiB");
            Check.Range(TrickleMs, 1, 60_000, "trickleMs");
            Check.Range(Limit, 0, int.MaxValue, "limit");
            Check.Range(EchoStatus, 200, 599, "echoStatus");
            return this;
        }
    }
}
