namespace EnOS.Streaming
{
    /// <summary>
    /// What a failed request may have done to the service: the one fact a bulk command's report
    /// ("not changed" or "may have been paused") and the maintenance journal both read.
    /// </summary>
    public enum RequestOutcome
    {
        /// <summary>
        /// Nothing was sent: the client refused before sending (a state it cannot act from, a
        /// pipeline not listed, a bad name), or held the call back (the gateway found unreachable
        /// moments ago, rate-limit headers asking for a long wait, a start that never got its turn).
        /// </summary>
        NotSent,

        /// <summary>
        /// Sent, and known to have changed nothing: the service answered with an error, or each
        /// attempt was turned away before it reached the service (connection refused, unknown host,
        /// failed TLS handshake, HTTP 429).
        /// </summary>
        Refused,

        /// <summary>
        /// Sent, and the outcome is unknown: an answer was lost (a dropped connection, a timeout, a
        /// 5xx, a cut-off body), also when a later attempt was refused. Not that it happened.
        /// </summary>
        MayHaveApplied,
    }
}
