using System.Globalization;
using System.Text.Json;

namespace EnOS.Streaming.Emulator
{
    /// <summary>Decides, per streaming call, whether to answer with a fault instead of the API.</summary>
    public sealed class FaultInjector
    {
        private static readonly KindNames<FaultKind> Names = new(
            ("429", FaultKind.TooManyRequests),
            ("503", FaultKind.ServiceUnavailable),
            ("html502", FaultKind.HtmlBadGateway),
            ("drop", FaultKind.Drop),
            ("slow", FaultKind.Slow),
            ("malformed", FaultKind.Malformed));

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

        public static string Name(FaultKind kind) => Names.Name(kind);

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
                if (_settings.Rate <= 0 || _settings.Kinds.Count == 0)
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
                return new FaultDecision(_settings.Kinds[_random.Next(_settings.Kinds.Count)], _settings);
            }
        }

        /// <summary>Reads the PUT /_emulator/faults body; throws <see cref="FormatException"/> with a readable message.</summary>
        public static FaultSettings ParseSettings(string body)
        {
            var root = JsonBody.ReadObject(body);

            var rate = Number(root, "rate") ?? throw new FormatException("'rate' (0..1) is required.");
            if (rate is < 0 or > 1)
            {
                throw new FormatException("'rate' must be between 0 and 1.");
            }

            List<FaultKind> kinds;
            if (!TryGet(root, "kinds", out var kindsElement))
            {
                kinds = [.. Names.All]; // no list given: any kind may happen
            }
            else if (kindsElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("'kinds' must be an array.");
            }
            else
            {
                kinds = [];
                foreach (var item in kindsElement.EnumerateArray())
                {
                    // Accept 429 as well as "429": PowerShell users write either.
                    var text = item.ValueKind == JsonValueKind.Number ? item.GetRawText() : item.GetString();
                    if (!Names.TryParse(text, out var kind))
                    {
                        throw new FormatException($"Unknown fault kind '{text}'. Known: {Names.Known}.");
                    }

                    kinds.Add(kind);
                }
            }

            var retryAfter = Number(root, "retryAfterSeconds") ?? 1;
            var slowMs = Number(root, "slowMs") ?? 2000;
            if (retryAfter is < 0 or > 86_400 || slowMs is < 0 or > 3_600_000)
            {
                throw new FormatException("'retryAfterSeconds' must be 0..86400 and 'slowMs' 0..3600000.");
            }

            var applyThenDrop = TryGet(root, "applyThenDrop", out var atd) && atd.ValueKind == JsonValueKind.True;
            var seed = Number(root, "seed");
            if (seed is { } s && (s != Math.Floor(s) || s is < int.MinValue or > int.MaxValue))
            {
                throw new FormatException("'seed' must be a 32-bit integer.");
            }

            var limit = Number(root, "limit");
            if (limit is { } l && (l != Math.Floor(l) || l is < 0 or > int.MaxValue))
            {
                throw new FormatException("'limit' must be a whole number of faults, 0 or more.");
            }

            var retryCode = Number(root, "retryCode");
            var retryHttpStatus = Number(root, "retryHttpStatus") ?? 200;
            if (retryCode is { } rc && (rc != Math.Floor(rc) || rc is < 1 or > int.MaxValue) || retryHttpStatus is not (200 or 400 or 500))
            {
                throw new FormatException("'retryCode' must be a positive API code and 'retryHttpStatus' 200, 400 or 500.");
            }

            return new FaultSettings(rate, kinds, (int)retryAfter, (int)slowMs, applyThenDrop,
                seed is null ? null : (int)seed, limit is null ? null : (int)limit, retryCode is null ? null : (int)retryCode, (int)retryHttpStatus);
        }

        private static double? Number(JsonElement root, string name)
        {
            if (!TryGet(root, name, out var value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : throw new FormatException($"'{name}' must be a number.");
        }

        /// <summary>Property lookup ignoring case; a JSON null counts as absent.</summary>
        private static bool TryGet(JsonElement root, string name, out JsonElement value)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
                {
                    value = property.Value;
                    return true;
                }
            }
            value = default;
            return false;
        }
    }
}
