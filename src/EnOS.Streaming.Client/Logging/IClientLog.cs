namespace EnOS.Streaming.Logging
{
    /// <summary>Where a client writes its log: not ILogger, so the cmdlets need no Microsoft.Extensions.* reference in PowerShell's load context.</summary>
    internal interface IClientLog
    {
        bool IsEnabled(ClientLogLevel level);

        /// <summary>May be called from any thread.</summary>
        void Write(ClientLogLevel level, string message);
    }

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
