using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Authentication
{
    /// <summary>
    /// Holds the one access token of a connection. Every request asks it for a token; it renews the
    /// token some minutes before expiry, and after the gateway said 1203, with at most one renewal
    /// in flight however many requests are waiting (concurrent bulk calls share it).
    /// </summary>
    internal sealed class TokenCache
    {
        private static readonly TimeSpan MaxRenewalMargin = TimeSpan.FromMinutes(5);

        private readonly IAccessTokenSource _source;
        private readonly Func<DateTimeOffset> _utcNow;
        private readonly SemaphoreSlim _renewal = new SemaphoreSlim(1, 1);
        private AccessToken? _current;
        private AccessToken? _rejected;
        private DateTimeOffset _issuedAt;

        public TokenCache(IAccessTokenSource source, Func<DateTimeOffset>? utcNow = null)
        {
            _source = source;
            _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>How many tokens this cache has obtained, for diagnostics and tests.</summary>
        public int Renewals { get; private set; }

        public async Task<string> GetTokenAsync(ILogger logger, CancellationToken cancellationToken)
        {
            var token = _current;
            if (token != null && !NeedsRenewal(token))
            {
                return token.Value;
            }

            await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller may have renewed while this one waited.
                token = _current;
                if (token != null && !NeedsRenewal(token))
                {
                    return token.Value;
                }

                AccessToken renewed;
                try
                {
                    // A token the gateway rejected (1203) is exchanged with refresh as well: get
                    // may hand back the very same token while the token service deems it valid.
                    var exchangeable = token != null && _utcNow() < token.ExpiresAt ? token : _rejected;
                    renewed = exchangeable != null
                        ? await RefreshOrGetNewAsync(exchangeable, logger, cancellationToken).ConfigureAwait(false)
                        : await _source.GetNewAsync(logger, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (token != null && _utcNow() < token.ExpiresAt && !(exception is OperationCanceledException))
                {
                    // An early renewal failed, but the token still works: use it, and try again
                    // on a later call rather than fail this one.
                    logger.LogInformation("Renewing the access token failed ({Problem}); the current one is valid until {ExpiresAt:u}.",
                        exception.Message, token.ExpiresAt);
                    return token.Value;
                }

                _issuedAt = _utcNow();
                _current = renewed;
                _rejected = null;
                Renewals++;
                return renewed.Value;
            }
            finally
            {
                _renewal.Release();
            }
        }

        /// <summary>
        /// The gateway rejected this token (1203): forget it, unless a newer one is already here,
        /// so that many requests failing with the same token cause one renewal, not one each.
        /// </summary>
        public void Invalidate(string rejectedToken)
        {
            var token = _current;
            if (token != null && string.Equals(token.Value, rejectedToken, StringComparison.Ordinal)
                && Interlocked.CompareExchange(ref _current, null, token) == token)
            {
                _rejected = token;
            }
        }

        private bool NeedsRenewal(AccessToken token)
        {
            // Renew in the last tenth of the lifetime, and at most five minutes early.
            var lifetime = token.ExpiresAt - _issuedAt;
            var margin = TimeSpan.FromTicks(Math.Min(MaxRenewalMargin.Ticks, Math.Max(0, lifetime.Ticks / 10)));
            return _utcNow() >= token.ExpiresAt - margin;
        }

        private async Task<AccessToken> RefreshOrGetNewAsync(AccessToken current, ILogger logger, CancellationToken cancellationToken)
        {
            try
            {
                return await _source.RefreshAsync(current, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException exception) when (!exception.IsAuthenticationFailure)
            {
                // A failed refresh (1204 and the like) is not fatal while the app key still works.
                logger.LogInformation("Refreshing the access token failed ({Code}); requesting a new one.", exception.Code);
                return await _source.GetNewAsync(logger, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
