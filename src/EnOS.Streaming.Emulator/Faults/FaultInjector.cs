namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>Decides, per streaming call, whether to answer with a fault instead of the API.</summary>
    public sealed class FaultInjector() : AdminSwitch<FaultSettings>(FaultSettings.None)
    {
        // Random is not thread-safe, and a seed must give the same sequence, so it lives under the lock.
        private Random _random = new();
        private int _injected;
        // The pipelines whose change was applied and whose answer was dropped, waiting for their retry's error (RetryCode).
        private readonly HashSet<string> _lostAnswers = new(StringComparer.Ordinal);

        protected override void Restart(FaultSettings settings)
        {
            _injected = 0;
            _lostAnswers.Clear();
            _random = settings.Seed is { } seed ? new Random(seed) : new Random();
        }

        /// <summary>Answers a call with the picked fault instead of the API (a slow answer is not written here: it is a delay).</summary>
        public static async Task WriteAsync(HttpContext context, FaultKind kind, FaultSettings settings)
        {
            var response = context.Response;
            switch (kind)
            {
                case FaultKind.TooManyRequests:
                    await GatewayLimits.WriteTooManyRequestsAsync(response, settings.RetryAfterSeconds);
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
            lock (Lock)
            {
                if (pipelineId is not null && settings.RetryCode is not null)
                {
                    _lostAnswers.Add(pipelineId);
                }
            }
        }

        /// <summary>The error a retry after a lost answer gets, once (null: none is due for this pipeline).</summary>
        public ApiResult? RetryAnswer(string? pipelineId)
        {
            lock (Lock)
            {
                if (pipelineId is null || Settings is not { RetryCode: { } code } settings || !_lostAnswers.Remove(pipelineId))
                {
                    return null;
                }

                var message = code == ApiResult.InvalidJson.Code ? ApiResult.InvalidJson.Msg : "Internal error.";
                return new ApiResult(code, message, null, settings.RetryHttpStatus);
            }
        }

        /// <summary>The fault for this call, if any, with the settings in force when it was picked.</summary>
        public (FaultKind Kind, FaultSettings Settings)? Pick()
        {
            lock (Lock)
            {
                var settings = Settings;
                if (settings.Rate <= 0 || settings.Kinds is not { Count: > 0 } kinds || _injected >= settings.Limit
                    || _random.NextDouble() >= settings.Rate)
                {
                    return null;
                }

                _injected++;
                return (kinds[_random.Next(kinds.Count)], settings);
            }
        }
    }
}
