using System.Globalization;

namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>Decides, per streaming call, whether to answer with a fault instead of the API.</summary>
    public sealed class FaultInjector
    {
        private readonly Lock _lock = new();
        private FaultSettings _settings = FaultSettings.None;
        // Random is not thread-safe, and a seed must give the same sequence, so it lives under the lock.
        private Random _random = new();
        private int _injected;
        // The pipelines whose change was applied and whose answer was dropped, waiting for their retry's error (RetryCode).
        private readonly HashSet<string> _lostAnswers = new(StringComparer.Ordinal);

        public FaultSettings Settings
        {
            get
            {
                lock (_lock)
                {
                    return _settings;
                }
            }
        }

        public void Configure(FaultSettings settings)
        {
            lock (_lock)
            {
                _settings = settings;
                _injected = 0;
                _lostAnswers.Clear();
                _random = settings.Seed is { } seed ? new Random(seed) : new Random();
            }
        }

        public void Clear() => Configure(FaultSettings.None);

        /// <summary>Answers a call with the picked fault instead of the API (a slow answer is not written here: it is a delay).</summary>
        public static async Task WriteAsync(HttpContext context, FaultDecision fault)
        {
            var response = context.Response;
            switch (fault.Kind)
            {
                case FaultKind.TooManyRequests:
                    response.StatusCode = StatusCodes.Status429TooManyRequests;
                    response.Headers.RetryAfter = fault.Settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    response.ContentType = "application/json; charset=utf-8";
                    await response.WriteAsync("{\"code\":429,\"msg\":\"Too Many Requests\"}");
                    break;
                case FaultKind.ServiceUnavailable:
                    response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    response.ContentLength = 0;
                    break;
                case FaultKind.HtmlBadGateway:
                    response.StatusCode = StatusCodes.Status502BadGateway;
                    response.ContentType = "text/html";
                    await response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
                    break;
                case FaultKind.Malformed:
                    response.StatusCode = StatusCodes.Status200OK;
                    response.ContentType = "application/json; charset=utf-8";
                    await response.WriteAsync("{\"code\":0,\"msg\":\"OK\",\"data\":{");
                    break;
                case FaultKind.Drop:
                    context.Abort();
                    break;
            }
        }

        /// <summary>An applied change's answer was dropped: with RetryCode set, the pipeline's next call gets that error.</summary>
        public void AnswerLost(string? pipelineId, FaultSettings settings)
        {
            if (pipelineId is null || settings.RetryCode is null)
            {
                return;
            }

            lock (_lock)
            {
                _lostAnswers.Add(pipelineId);
            }
        }

        /// <summary>The error a retry after a lost answer gets, once (null: none is due for this pipeline).</summary>
        public ApiResult? RetryAnswer(string? pipelineId)
        {
            lock (_lock)
            {
                if (pipelineId is null || _settings.RetryCode is not { } code || !_lostAnswers.Remove(pipelineId))
                {
                    return null;
                }

                return new ApiResult(code, code == 61100 ? "The Stream configuration JSON is invalid." : "Internal error.", null, _settings.RetryHttpStatus);
            }
        }

        public FaultDecision? Pick()
        {
            lock (_lock)
            {
                if (_settings.Rate <= 0 || _settings.Kinds is not { Count: > 0 } kinds)
                {
                    return null;
                }

                if (_settings.Limit is { } limit && _injected >= limit)
                {
                    return null;
                }

                if (_random.NextDouble() >= _settings.Rate)
                {
                    return null;
                }

                _injected++;
                return new FaultDecision(kinds[_random.Next(kinds.Count)], _settings);
            }
        }
    }
}
