using System.Globalization;

namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>
    /// The gateway's and the service's limits: a per-app rate limit (429), one start per
    /// organisation at a time (61121 for a while after each start), and going down mid-run.
    /// </summary>
    public sealed class GatewayLimits(TimeProvider clock, IHostApplicationLifetime lifetime, RequestLog log)
        : AdminSwitch<LimitSettings>(LimitSettings.None)
    {
        private double _tokens;
        private DateTimeOffset _refilledAt;
        private DateTimeOffset _startLockedUntil;
        private long _calls;
        private long _throttled;

        public override object View => new { settings = Settings, throttled = Interlocked.Read(ref _throttled) };

        protected override void Restart(LimitSettings settings)
        {
            _tokens = settings.RatePerSecond; // a full bucket
            _refilledAt = clock.GetUtcNow();
            _startLockedUntil = default;
            _calls = 0;
            Interlocked.Exchange(ref _throttled, 0);
        }

        /// <summary>Stops listening at once; the process exits once in-flight calls are answered.</summary>
        public void GoDown() => lifetime.StopApplication();

        /// <summary>
        /// Runs before a streaming call. False when the gateway answered it itself (429, or the
        /// connection cut because it is going down); then the API must not see it.
        /// </summary>
        public async Task<bool> AdmitAsync(HttpContext context, RequestTarget target, string? pipelineId, string body)
        {
            var response = context.Response;
            LimitSettings settings;
            double remaining, waitSeconds;
            lock (Lock)
            {
                settings = Settings;
                if (++_calls > settings.DownAfterCalls)
                {
                    GoDown();
                    context.Abort();
                    return false;
                }

                if (settings.ExtraHeaders is { } extra && (settings.ExtraHeadersFor is not { } first || _calls <= first))
                {
                    // Whatever a test wants the gateway to say (rate-limit headers with hostile values).
                    foreach (var (name, value) in extra)
                    {
                        response.Headers[name] = value;
                    }
                }

                if (settings.RatePerSecond <= 0)
                {
                    return true;
                }

                var now = clock.GetUtcNow();
                _tokens = Math.Min(settings.RatePerSecond, _tokens + (now - _refilledAt).TotalSeconds * settings.RatePerSecond);
                _refilledAt = now;
                // A whole token admits the call and is taken; short of one, the wait until there is one.
                waitSeconds = _tokens >= 1 ? 0 : (1 - _tokens) / settings.RatePerSecond;
                _tokens -= waitSeconds == 0 ? 1 : 0;
                remaining = Math.Floor(_tokens);
            }

            if (settings.Headers)
            {
                var limit = ((int)settings.RatePerSecond).ToString(CultureInfo.InvariantCulture);
                response.Headers["RateLimit-Limit"] = limit;
                response.Headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
                // Seconds until the bucket is full again (whole seconds, rounded up).
                response.Headers["RateLimit-Reset"] = Math.Ceiling((settings.RatePerSecond - remaining) / settings.RatePerSecond).ToString(CultureInfo.InvariantCulture);
                response.Headers["RateLimit-Policy"] = limit + ";w=1";
            }

            if (waitSeconds == 0)
            {
                return true;
            }

            Interlocked.Increment(ref _throttled);
            log.Add(context, target, pipelineId, body, StatusCodes.Status429TooManyRequests);
            await WriteTooManyRequestsAsync(response, settings.RetryAfter ? Math.Max(1, Math.Ceiling(waitSeconds)) : null);
            return false;
        }

        /// <summary>The gateway's own 429, not the API's envelope (for an injected 429 as well).</summary>
        public static Task WriteTooManyRequestsAsync(HttpResponse response, double? retryAfterSeconds)
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            if (retryAfterSeconds is { } seconds)
            {
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            response.ContentType = "application/json; charset=utf-8";
            return response.WriteAsync("{\"code\":429,\"msg\":\"Too Many Requests\"}");
        }

        /// <summary>
        /// A start, as the service runs it: refused with 61121 while another start of the organisation
        /// is in progress, and holding the lock for the configured time once it is accepted.
        /// </summary>
        public ApiResult Start(Func<ApiResult> start)
        {
            lock (Lock)
            {
                var now = clock.GetUtcNow();
                if (now < _startLockedUntil)
                {
                    return ApiResult.Error(61121, "Another user in the organization is starting a stream processing job. Please try again later.");
                }

                var result = start();
                if (result.Code == 0 && Settings.StartLockMs > 0)
                {
                    _startLockedUntil = now.AddMilliseconds(Settings.StartLockMs);
                }

                return result;
            }
        }
    }
}
