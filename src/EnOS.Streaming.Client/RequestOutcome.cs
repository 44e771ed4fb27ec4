namespace EnOS.Streaming
{
    /// <summary>What a failed request may have done: the one fact a bulk command's report and the journal read.</summary>
    public enum RequestOutcome
    {
        /// <summary>Nothing was sent: refused by the client, or held back (a dead gateway, rate-limit headers, a start never given its turn).</summary>
        NotSent,

        /// <summary>Sent, and known to have changed nothing: an error answer, or every attempt turned away before the service.</summary>
        Refused,

        /// <summary>Sent, and an answer was lost (dropped, timed out, 5xx, cut off): unknown, not that it happened.</summary>
        MayHaveApplied,
    }
}
