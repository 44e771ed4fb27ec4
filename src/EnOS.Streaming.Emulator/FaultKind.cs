namespace EnOS.Streaming.Emulator
{
    /// <summary>The gateway failures a client has to survive.</summary>
    public enum FaultKind
    {
        TooManyRequests,
        ServiceUnavailable,
        HtmlBadGateway,
        Drop,
        Slow,
        Malformed,
    }
}
