namespace EnOS.Streaming
{
    /// <summary>Why no usable answer came back.</summary>
    public enum TransportFailure
    {
        /// <summary>The connection failed or dropped (for a reason other than those below).</summary>
        Unreachable,

        /// <summary>No answer within the attempt timeout, or the operation's time budget ran out.</summary>
        TimedOut,

        /// <summary>An HTTP error status such as 429, 502 or 503.</summary>
        HttpStatus,

        /// <summary>An answer came, but not the JSON envelope the API documents.</summary>
        InvalidResponse,

        /// <summary>Nothing listens at the gateway's address and port (connection refused).</summary>
        ConnectionRefused,

        /// <summary>The gateway's host name could not be resolved.</summary>
        NameNotResolved,

        /// <summary>The TLS handshake failed, for instance an https:// URL to a port that speaks plain http.</summary>
        TlsHandshake,

        /// <summary>Not sent: the gateway's rate-limit headers asked for a wait longer than the time left.</summary>
        RateLimited,
    }
}
