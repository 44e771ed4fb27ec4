namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>What PUT /_emulator/hostile configured (docs/emulator.md); <c>Limit</c> null: every matching call.</summary>
    public sealed record HostileSettings(
        HostileKind Kind, HostileScope Scope = HostileScope.Streaming, int RedirectStatus = 302, string Location = "http://127.0.0.2:9",
        int BombMiB = 64, int TrickleMs = 500, string Charset = "x-unknown-charset", int? Limit = null, int EchoStatus = 400)
        : IAdminBody<HostileSettings>
    {
        /// <summary>No hostile answers: none may be given (what DELETE comes back to; GET shows it as {}).</summary>
        public static readonly HostileSettings Off = new(HostileKind.Redirect, Limit: 0);

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
