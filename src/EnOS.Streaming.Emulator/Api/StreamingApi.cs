using System.Globalization;

namespace EnOS.Streaming.Emulator.Api
{
    /// <summary>
    /// The Stream Processing v2.0 API: routing, authentication, the org check, the reads (list,
    /// details, offset lag), plus the limits, per-call latency and injected faults that only apply
    /// to these calls. The changes are <see cref="PipelineLifecycle"/>'s.
    /// </summary>
    public sealed class StreamingApi(
        PipelineStore store,
        SignatureVerifier verifier,
        GatewayLimits limits,
        FaultInjector faults,
        RequestLog log,
        EmulatorStats stats,
        EmulatorOptions options,
        ListingLies lies,
        PipelineLifecycle lifecycle,
        PipelineTransitions transitions)
    {
        /// <summary>Answers a call of the API; false when its path and method name no operation.</summary>
        public async Task<bool> TryHandleAsync(HttpContext context, RequestTarget target, string body)
        {
            // Matched on the raw path; the pipeline id is exactly one segment, percent-decoded.
            var get = HttpMethods.IsGet(context.Request.Method);
            var post = HttpMethods.IsPost(context.Request.Method);
            var id = target.Segments.Length > 4 ? target.Segments[4] : null;
            var query = target.QueryByName;
            Func<ApiResult>? operation = target.RawSegments switch
            {
                ["streaming", "v2.0", "streaming", "pipelines"] when get => () => ListPipelines(query),
                ["streaming", "v2.0", "streaming", "pipeline", { Length: > 0 }] when get => () => Details(id!, query),
                ["streaming", "v2.0", "streaming", "pipeline", { Length: > 0 }] when post => () => lifecycle.Act(id!, query, body),
                ["streaming", "v2.0", "streaming", "pipeline", { Length: > 0 }, "offset-lag"] when get => () => OffsetLag(id!),
                ["streaming", "v2.0", "streaming", "pipeline", { Length: > 0 }, "offset"] when post => () => lifecycle.ResetOffset(id!),
                _ => null,
            };
            if (operation is null)
            {
                return false;
            }

            if (await limits.AdmitAsync(context, target, id, body))
            {
                await HandleAsync(context, target, body, id, operation);
            }

            return true;
        }

        private async Task HandleAsync(HttpContext context, RequestTarget target, string body, string? pipelineId, Func<ApiResult> operation)
        {
            stats.EnterStreaming();
            try
            {
                if (options.LatencyMs > 0)
                {
                    await Task.Delay(options.LatencyMs, context.RequestAborted);
                }

                // The retry of a call whose change was applied and whose answer was lost is refused, before any fault.
                if (faults.RetryAnswer(pipelineId) is not { } result)
                {
                    var fault = faults.Pick();
                    if (fault is { Kind: FaultKind.Slow } slow)
                    {
                        // A slow answer is still a real answer: delay, then fall through to the API.
                        await Task.Delay(slow.Settings.SlowMs, context.RequestAborted);
                    }
                    else if (fault is { } f)
                    {
                        if (f.Kind == FaultKind.Drop && f.Settings.ApplyThenDrop)
                        {
                            Execute(context, target, body, operation); // the change sticks, the answer is lost
                            faults.AnswerLost(pipelineId, f.Settings);
                        }

                        log.Add(context, target, pipelineId, body, RequestLog.FaultCode);
                        await FaultInjector.WriteAsync(context, f.Kind, f.Settings);
                        return;
                    }

                    result = Execute(context, target, body, operation);
                }

                log.Add(context, target, pipelineId, body, result.Code);
                await result.WriteAsync(context);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away during the delay; nobody is left to answer.
            }
            finally
            {
                stats.ExitStreaming();
            }
        }

        /// <summary>Authentication and the organisation first, as the gateway and the service check them.</summary>
        private ApiResult Execute(HttpContext context, RequestTarget target, string body, Func<ApiResult> operation)
        {
            if (verifier.Refusal(context.Request.Headers, target, body) is { } refusal)
            {
                return refusal;
            }

            if (!target.QueryByName.TryGetValue("orgId", out var orgId) || orgId.Length == 0)
            {
                return ApiResult.Error(61102, "Missing param orgId");
            }

            return string.Equals(orgId, store.OrgId, StringComparison.Ordinal)
                ? operation()
                : ApiResult.Error(61106, "Wrong pipelineId or OU has no privilege");
        }

        private ApiResult ListPipelines(IReadOnlyDictionary<string, string> query)
        {
            if (Positive(query, "pageSize", 10) is not { } pageSize)
            {
                return ApiResult.Error(61199, "Invalid param pageSize.");
            }

            if (Positive(query, "pageNo", 1) is not { } pageNo)
            {
                return ApiResult.Error(61199, "Invalid param pageNo.");
            }

            // ifReleased is accepted and has no effect: every emulated pipeline is released.
            var size = Math.Min(pageSize, options.PageCap);
            var (count, page) = store.List(IsTrue(query, "isSystem"), lies.Offset(pageNo, size), size);
            return ApiResult.Ok(new
            {
                count = lies.Count(count),
                pipelines = page.Select(p => new
                {
                    orgId = p.OrgId,
                    pipelineId = p.PipelineId,
                    pipelineName = p.PipelineName,
                    status = p.Status,
                    version = p.Version,
                    updateTime = p.UpdateTime,
                    alarmConfig = p.AlarmConfig,
                    templateType = p.TemplateType,
                    executionMode = p.ExecutionMode,
                    // Real responses grow new fields over time; clients must ignore what they do not know.
                    extraFieldForTolerance = "x",
                }),
            });
        }

        private ApiResult Details(string id, IReadOnlyDictionary<string, string> query) => store.Answer(id, p =>
            (IsTrue(query, "ifReleased") ? p.Released : p.Saved) is { } definition
                ? ApiResult.Ok(definition)
                : ApiResult.Error(61199, "The stream processing job has not been released."));

        private ApiResult OffsetLag(string id) => store.Answer(id, p =>
        {
            if (p.Status != PlatformStatus.Running)
            {
                // Offset Lag documents only 61108 and 99000: a service that refuses a pipeline that is
                // not running without naming its status is what a client must be ready for.
                return ApiResult.Error(99000, "Internal Server Error.");
            }

            // Deterministic per pipeline (FNV-1a of the id) so tests can compare answers between calls.
            var seed = id.Aggregate(2166136261u, (hash, c) => (hash ^ c) * 16777619u);

            var baseTs = new DateTimeOffset(2026, 11, 20, 8, 15, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var partitions = Enumerable.Range(0, 3).Select(partition => new
            {
                // A reset skipped the backlog; the trend then moves the lag from there.
                lag = transitions.Lag(p, p.OffsetResets > 0 ? 0L : (long)((seed >> (partition * 4)) % 500)),
                offset = 100_000L + (seed % 100_000) + partition * 10_000L,
                ts = baseTs + partition * 1000L,
            }).ToList();
            p.LagCalls++;
            return ApiResult.Ok(new { pipelineId = id, topicName = "stream_" + id, lagAndOffset = partitions });
        });

        private static bool IsTrue(IReadOnlyDictionary<string, string> query, string name) =>
            query.TryGetValue(name, out var text) && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);

        /// <summary>A whole number of at least 1, the fallback when absent or empty, null when invalid.</summary>
        private static int? Positive(IReadOnlyDictionary<string, string> query, string name, int fallback) =>
            query.GetValueOrDefault(name) is not { Length: > 0 } text ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 ? value : null;
    }
}
