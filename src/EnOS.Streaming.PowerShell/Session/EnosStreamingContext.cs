using System;

namespace EnOS.Streaming
{
    /// <summary>
    /// What Connect-EnosStreaming -PassThru returns: where the module is connected. It holds no
    /// secret and no token, so it is safe to show, log and export.
    /// </summary>
    public sealed class EnosStreamingContext
    {
        public EnosStreamingContext(Uri gatewayUrl, string orgId, string appKey, string source)
        {
            GatewayUrl = gatewayUrl;
            OrgId = orgId;
            AppKey = appKey;
            Source = source;
        }

        public Uri GatewayUrl { get; }
        public string OrgId { get; }
        public string AppKey { get; }

        /// <summary>"Connect-EnosStreaming" or "Environment" (the ENOS_* variables).</summary>
        public string Source { get; }

        public override string ToString() => $"{GatewayUrl} (org {OrgId})";
    }
}
