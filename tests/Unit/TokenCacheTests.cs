using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public class TokenCacheTests
    {
        private DateTimeOffset _now = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

        private sealed class CountingSource : IAccessTokenSource
        {
            private readonly Func<DateTimeOffset> _now;
            private int _issued;

            public CountingSource(Func<DateTimeOffset> now) => _now = now;

            public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(2);
            public int NewTokens;
            public int Refreshes;
            public bool FailRefresh;
            public bool FailNew;
            public TimeSpan Latency = TimeSpan.Zero;

            public async Task<AccessToken> GetNewAsync(Microsoft.Extensions.Logging.ILogger logger, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref NewTokens);
                if (Latency > TimeSpan.Zero)
                {
                    await Task.Delay(Latency, cancellationToken);
                }

                if (FailNew)
                {
                    throw new EnosTransportException("token service down", TransportFailure.HttpStatus, System.Net.HttpStatusCode.ServiceUnavailable, null);
                }

                return new AccessToken("t" + Interlocked.Increment(ref _issued), _now(), _now() + Lifetime);
            }

            public async Task<AccessToken> RefreshAsync(AccessToken current, Microsoft.Extensions.Logging.ILogger logger, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref Refreshes);
                if (Latency > TimeSpan.Zero)
                {
                    await Task.Delay(Latency, cancellationToken);
                }

                if (FailRefresh)
                {
                    throw new EnosApiException(1204, "refresh failed", null, "refresh");
                }

                return new AccessToken("t" + Interlocked.Increment(ref _issued), _now(), _now() + Lifetime);
            }
        }

        private (TokenCache Cache, CountingSource Source) Create()
        {
            var source = new CountingSource(() => _now);
            return (new TokenCache(source, () => _now), source);
        }

        private static Task<string> Get(TokenCache cache) => cache.GetTokenAsync(NullLogger.Instance, CancellationToken.None);

        [Fact]
        public async Task Reuses_a_valid_token()
        {
            var (cache, source) = Create();

            Assert.Equal("t1", await Get(cache));
            _now += TimeSpan.FromMinutes(90);
            Assert.Equal("t1", await Get(cache));
            Assert.Equal(1, source.NewTokens);
        }

        [Fact]
        public async Task Renews_by_refresh_five_minutes_before_expiry()
        {
            var (cache, source) = Create();
            await Get(cache);

            _now += TimeSpan.FromMinutes(114); // 6 minutes left
            Assert.Equal("t1", await Get(cache));
            _now += TimeSpan.FromMinutes(2); // 4 minutes left
            Assert.Equal("t2", await Get(cache));
            Assert.Equal((1, 1), (source.NewTokens, source.Refreshes));
        }

        [Fact]
        public async Task Renews_short_lived_tokens_in_the_last_tenth_of_their_life()
        {
            var (cache, source) = Create();
            source.Lifetime = TimeSpan.FromSeconds(60);
            await Get(cache);

            _now += TimeSpan.FromSeconds(53);
            Assert.Equal("t1", await Get(cache));
            _now += TimeSpan.FromSeconds(2);
            Assert.Equal("t2", await Get(cache));
        }

        [Fact]
        public async Task Gets_a_new_token_once_the_old_one_has_expired()
        {
            var (cache, source) = Create();
            await Get(cache);

            _now += TimeSpan.FromHours(3);
            Assert.Equal("t2", await Get(cache));
            Assert.Equal((2, 0), (source.NewTokens, source.Refreshes));
        }

        [Fact]
        public async Task A_failed_refresh_falls_back_to_a_new_token()
        {
            var (cache, source) = Create();
            source.FailRefresh = true;
            await Get(cache);

            _now += TimeSpan.FromMinutes(118);
            Assert.Equal("t2", await Get(cache));
            Assert.Equal((2, 1), (source.NewTokens, source.Refreshes));
        }

        [Fact]
        public async Task Many_callers_rejected_with_the_same_token_cause_one_renewal()
        {
            var (cache, source) = Create();
            source.Latency = TimeSpan.FromMilliseconds(20);
            var first = await Get(cache);

            // Fifty concurrent requests all hear 1203 for the same token.
            var renewed = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
            {
                cache.Invalidate(first);
                return await Get(cache);
            }));

            Assert.All(renewed, token => Assert.Equal("t2", token));
            // One renewal, by refresh: get could return the rejected token again.
            Assert.Equal((1, 1), (source.NewTokens, source.Refreshes));
        }

        [Fact]
        public async Task Invalidating_an_older_token_keeps_the_newer_one()
        {
            var (cache, source) = Create();
            var first = await Get(cache);
            cache.Invalidate(first);
            var second = await Get(cache);

            cache.Invalidate(first);

            Assert.Equal(second, await Get(cache));
            Assert.Equal(2, source.NewTokens + source.Refreshes);
        }

        [Fact]
        public async Task A_failed_early_renewal_keeps_using_the_valid_token()
        {
            var (cache, source) = Create();
            await Get(cache);
            source.FailRefresh = true;
            source.FailNew = true;

            _now += TimeSpan.FromMinutes(117); // 3 minutes left: time to renew, still valid
            Assert.Equal("t1", await Get(cache));

            _now += TimeSpan.FromMinutes(4); // expired: now the failure is the caller's
            await Assert.ThrowsAsync<EnosTransportException>(() => Get(cache));
        }

        [Fact]
        public async Task Nobody_waits_for_an_early_renewal_in_progress()
        {
            var (cache, source) = Create();
            await Get(cache);
            source.Latency = TimeSpan.FromMilliseconds(300);
            _now += TimeSpan.FromMinutes(117); // in the renewal window, still valid

            var renewing = Get(cache);
            var others = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Get(cache)));

            Assert.All(others, token => Assert.Equal("t1", token));
            Assert.False(renewing.IsCompleted); // they did not wait for it
            Assert.Equal("t2", await renewing);
        }

        [Fact]
        public async Task A_failed_early_renewal_is_not_tried_again_at_once()
        {
            var (cache, source) = Create();
            await Get(cache);
            source.FailRefresh = true;
            source.FailNew = true;
            _now += TimeSpan.FromMinutes(117);

            for (var i = 0; i < 10; i++)
            {
                Assert.Equal("t1", await Get(cache));
            }

            Assert.Equal(1, source.Refreshes);
            _now += TimeSpan.FromSeconds(31);
            await Get(cache);
            Assert.Equal(2, source.Refreshes);
        }

        [Fact]
        public void Neither_a_token_nor_a_credential_shows_its_secret_in_ToString()
        {
            var token = new AccessToken("very-secret-token", _now, _now);
            var credential = new AppCredential("key", "very-secret-value");

            Assert.DoesNotContain("very-secret-token", token.ToString());
            Assert.DoesNotContain("very-secret-value", credential.ToString());
        }
    }
}
