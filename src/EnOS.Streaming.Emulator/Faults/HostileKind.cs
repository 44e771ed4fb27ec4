namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>Answers a hostile or broken gateway gives, which a client must not trust or hoard.</summary>
    public enum HostileKind
    {
        /// <summary>A 3xx pointing elsewhere (the location plus the request's own path and query).</summary>
        Redirect,

        /// <summary>A small gzip body that inflates to <c>bombMiB</c> of JSON white space, then a success envelope.</summary>
        Bomb,

        /// <summary>A chunked body that never ends (until the client goes, or 4 GiB).</summary>
        Endless,

        /// <summary>The headers and the start of an envelope, then one byte every <c>trickleMs</c> (a slowloris answer).</summary>
        SlowBody,

        /// <summary>A success envelope under <c>Content-Type: application/json;charset={charset}</c>.</summary>
        Charset,

        /// <summary>A success envelope declared UTF-8 that holds a byte that is not UTF-8.</summary>
        BadUtf8,

        /// <summary>
        /// A gateway error page that leaks: HTTP 200 with an API error (61100) whose message echoes the
        /// request's headers, every token the token service has issued and the application's key and
        /// secret.
        /// </summary>
        Echo,

        /// <summary>The same leak as an HTML error page under HTTP <c>echoStatus</c> (default 400), not JSON.</summary>
        EchoPage,
    }
}
