using System;

namespace EnOS.Streaming
{
    /// <summary>
    /// Where the module is connected, as Connect-EnosStreaming -PassThru and
    /// Get-EnosStreamingConnection show it. It holds no secret and no token, so it is safe to
    /// show, log and export.
    /// </summary>
    public sealed class EnosStreamingContext
    {
        public EnosStreamingContext(Uri gatewayUrl, string orgId, string appKey, string source, DateTimeOffset? tokenExpiresAt = null)
        {
            GatewayUrl = gatewayUrl;
            OrgId = orgId;
            AppKey = appKey;
            Source = source;
            TokenExpiresAt = tokenExpiresAt;
        }

        internal EnosStreamingContext(StreamingConnection connection, string source)
            : this(connection.GatewayUrl, connection.OrgId, connection.AppKey, source, connection.TokenExpiresAt)
        {
        }

        public Uri GatewayUrl { get; }
        public string OrgId { get; }
        public string AppKey { get; }

        /// <summary>"Connect-EnosStreaming" or "Environment" (the ENOS_* variables).</summary>
        public string Source { get; }

        /// <summary>When the access token in hand expires (it is renewed before then); null until a command obtains one.</summary>
        public DateTimeOffset? TokenExpiresAt { get; }

        public override string ToString() => $"{GatewayUrl} (org {OrgId})";
    }
}
