using System;

namespace EnOS.Streaming
{
    /// <summary>Where the module is connected; without secret or token, so safe to show, log and export.</summary>
    public sealed class EnosStreamingContext(Uri gatewayUrl, string orgId, string appKey, string source, DateTimeOffset? tokenExpiresAt = null)
    {
        internal EnosStreamingContext(StreamingConnection connection, string source)
            : this(connection.GatewayUrl, connection.OrgId, connection.AppKey, source, connection.TokenExpiresAt)
        {
        }

        public Uri GatewayUrl { get; } = gatewayUrl;
        public string OrgId { get; } = orgId;
        public string AppKey { get; } = appKey;

        /// <summary>"Connect-EnosStreaming" or "Environment" (the ENOS_* variables).</summary>
        public string Source { get; } = source;

        /// <summary>When the access token in hand expires (it is renewed before then); null until a command obtains one.</summary>
        public DateTimeOffset? TokenExpiresAt { get; } = tokenExpiresAt;

        public override string ToString() => $"{GatewayUrl} (org {OrgId})";
    }
}
