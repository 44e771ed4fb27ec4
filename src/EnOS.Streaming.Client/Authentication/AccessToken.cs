using System;

namespace EnOS.Streaming.Authentication
{
    /// <summary>An access token and when it stops being valid. ToString never shows the value.</summary>
    internal sealed class AccessToken(string value, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        public string Value { get; } = value;

        /// <summary>When it was obtained: with <see cref="ExpiresAt"/>, its lifetime.</summary>
        public DateTimeOffset IssuedAt { get; } = issuedAt;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public override string ToString() => $"AccessToken(expires {ExpiresAt:u})";
    }

    /// <summary>Where tokens come from: the token service, or a fake in tests.</summary>
    internal interface IAccessTokenSource
    {
        System.Threading.Tasks.Task<AccessToken> GetNewAsync(Microsoft.Extensions.Logging.ILogger logger, System.Threading.CancellationToken cancellationToken);

        /// <summary>Exchanges a still-valid token for a fresh one before it expires.</summary>
        System.Threading.Tasks.Task<AccessToken> RefreshAsync(AccessToken current, Microsoft.Extensions.Logging.ILogger logger, System.Threading.CancellationToken cancellationToken);
    }
}
