using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace EnOS.Streaming.Authentication
{
    /// <summary>A connection's one access token, renewed before expiry and after a 1203, with at most one renewal in flight however many requests wait.</summary>
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
        "A SemaphoreSlim holds nothing to release unless its AvailableWaitHandle is used, which this class never does; disposing it could only break a waiter that races with the owner's end.")]
    internal sealed partial class TokenCache(IAccessTokenSource source, Func<DateTimeOffset>? utcNow = null)
    {
        private static readonly TimeSpan MaxRenewalMargin = TimeSpan.FromMinutes(5);

        // After a failed early renewal, the next try waits this long (or a quarter of the time left).
        private static readonly TimeSpan RenewalRetryInterval = TimeSpan.FromSeconds(30);

        private readonly Func<DateTimeOffset> _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
        private readonly SemaphoreSlim _renewal = new SemaphoreSlim(1, 1);
        private AccessToken? _current;
        private AccessToken? _rejected;
        private long _retryRenewalAfterTicks; // UTC ticks; a long, so reads never tear

        /// <summary>When the token in hand expires; null before the first one (or after it was refused).</summary>
        public DateTimeOffset? ExpiresAt => Volatile.Read(ref _current)?.ExpiresAt;

        public async Task<string> GetTokenAsync(ILogger logger, CancellationToken cancellationToken)
        {
            var current = Volatile.Read(ref _current);
            if (current != null && !NeedsRenewal(current))
            {
                return current.Value;
            }

            if (current != null && IsValid(current))
            {
                // Early renewal: one caller renews; the others (and all, a while after a failure) go on with the valid token.
                if (_utcNow().UtcTicks < Interlocked.Read(ref _retryRenewalAfterTicks) || !await _renewal.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
                {
                    return current.Value;
                }
            }
            else
            {
                await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                // Another caller may have renewed meanwhile.
                current = Volatile.Read(ref _current);
                if (current != null && !NeedsRenewal(current))
                {
                    return current.Value;
                }

                var renewed = await RenewAsync(current, logger, cancellationToken).ConfigureAwait(false);
                if (renewed == null)
                {
                    return current!.Value;
                }

                Volatile.Write(ref _current, renewed);
                Volatile.Write(ref _rejected, null);
                return renewed.Value;
            }
            finally
            {
                _renewal.Release();
            }
        }

        /// <summary>The gateway rejected this token (1203): forgotten unless a newer one is here, so many such requests renew once.</summary>
        public void Invalidate(string rejectedToken)
        {
            var current = Volatile.Read(ref _current);
            if (current != null && string.Equals(current.Value, rejectedToken, StringComparison.Ordinal))
            {
                // Noted before the token is dropped, so the renewal that follows sees it.
                Volatile.Write(ref _rejected, current);
                Interlocked.CompareExchange(ref _current, null, current);
            }
        }

        private bool IsValid(AccessToken token) => _utcNow() < token.ExpiresAt;

        private bool NeedsRenewal(AccessToken token)
        {
            // Renew in the last tenth of the lifetime, and at most five minutes early.
            var lifetime = token.ExpiresAt - token.IssuedAt;
            var margin = TimeSpan.FromTicks(Math.Min(MaxRenewalMargin.Ticks, Math.Max(0, lifetime.Ticks / 10)));
            return _utcNow() >= token.ExpiresAt - margin;
        }

        /// <summary>A new token; null when an early renewal failed while the current one still works (tried again later).</summary>
        private async Task<AccessToken?> RenewAsync(AccessToken? current, ILogger logger, CancellationToken cancellationToken)
        {
            try
            {
                // A rejected token is refreshed too: get may hand back the very same one.
                var exchangeable = current != null && IsValid(current) ? current : Volatile.Read(ref _rejected);
                if (current != null && (exchangeable == current || exchangeable == null))
                {
                    Log.Renewing(logger, IsValid(current) ? "expires" : "expired", current.ExpiresAt);
                }

                return exchangeable != null
                    ? await RefreshOrGetNewAsync(exchangeable, logger, cancellationToken).ConfigureAwait(false)
                    : await source.GetNewAsync(logger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (current != null && IsValid(current) && !cancellationToken.IsCancellationRequested)
            {
                var left = current.ExpiresAt - _utcNow();
                Interlocked.Exchange(ref _retryRenewalAfterTicks, _utcNow().UtcTicks + Math.Min(RenewalRetryInterval.Ticks, left.Ticks / 4));
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var problem = DisplayText.Clause(exception.Message);
                    Log.RenewalFailed(logger, problem, current.ExpiresAt);
                }

                return null;
            }
        }

        private async Task<AccessToken> RefreshOrGetNewAsync(AccessToken current, ILogger logger, CancellationToken cancellationToken)
        {
            try
            {
                return await source.RefreshAsync(current, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException exception) when (!exception.IsAuthenticationFailure)
            {
                // A failed refresh (1204 and the like) is not fatal while the app key still works.
                Log.RefreshRefused(logger, exception.Code);
                return await source.GetNewAsync(logger, cancellationToken).ConfigureAwait(false);
            }
        }

        private static partial class Log
        {
            [LoggerMessage(Level = LogLevel.Information, Message = "Renewing the access token: it {ExpiresOrExpired} at {ExpiresAt:u}.")]
            public static partial void Renewing(ILogger logger, string expiresOrExpired, DateTimeOffset expiresAt);

            [LoggerMessage(Level = LogLevel.Information, Message = "Renewing the access token failed ({Problem}); the current one is valid until {ExpiresAt:u}.")]
            public static partial void RenewalFailed(ILogger logger, string problem, DateTimeOffset expiresAt);

            [LoggerMessage(Level = LogLevel.Information, Message = "Renewing the access token by refresh failed (EnOS {Code}); requesting a new one.")]
            public static partial void RefreshRefused(ILogger logger, int code);
        }
    }
}
