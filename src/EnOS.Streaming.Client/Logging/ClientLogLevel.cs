namespace EnOS.Streaming.Logging
{
    /// <summary>How much a client log line matters to the person reading it.</summary>
    internal enum ClientLogLevel
    {
        /// <summary>The HTTP exchange, redacted: for -Debug.</summary>
        Debug,

        /// <summary>The story of the operation: tokens, pages, retries. For -Verbose.</summary>
        Verbose,

        Warning,
    }
}
