using System;

namespace EnOS.Streaming
{
    /// <summary>Tunables of a connection. The defaults suit an interactive session and a runbook alike.</summary>
    internal sealed class StreamingClientOptions
    {
        /// <summary>The page size asked of List Pipelines; the service may return fewer.</summary>
        public int PageSize { get; set; } = 200;

        /// <summary>How often a transient failure (429, 502-504, timeouts, dropped connections) is retried.</summary>
        public int MaxRetries { get; set; } = 4;

        /// <summary>The most time one operation may take, retries included.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The most time one HTTP attempt may take before it counts as a (retried) timeout.</summary>
        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Allow http:// to another machine: off by default, since the token would cross in clear text.</summary>
        public bool AllowInsecureHttp { get; set; }

        /// <summary>A proxy for every call; null uses the system proxy settings.</summary>
        public System.Net.IWebProxy? Proxy { get; set; }

        /// <summary>Credentials for the system proxy, when <see cref="Proxy"/> is not set (a set one carries its own).</summary>
        public System.Net.ICredentials? SystemProxyCredentials { get; set; }

        /// <summary>The first retry's delay; later ones double it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
        public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>How often a start asks a busy organisation (61121) again at first; later four times slower, at most 2 s.</summary>
        public TimeSpan StartRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>Connections kept per gateway; bounds concurrency on Windows PowerShell, whose default is 2.</summary>
        public int MaxConnectionsPerServer { get; set; } = 64;

        internal StreamingClientOptions Validated()
        {
            Require(PageSize >= 1, nameof(PageSize), "PageSize must be at least 1.");
            Require(MaxRetries >= 0, nameof(MaxRetries), "MaxRetries cannot be negative.");
            Require(Timeout > TimeSpan.Zero, nameof(Timeout), "Timeout must be positive.");
            Require(AttemptTimeout > TimeSpan.Zero, nameof(AttemptTimeout), "AttemptTimeout must be positive.");
            return this;
        }

        private static void Require(bool valid, string name, string message)
        {
            if (!valid)
            {
                throw new ArgumentOutOfRangeException(name, message);
            }
        }
    }
}
