using System.Globalization;
using System.Text.Json;

namespace EnOS.Streaming.Emulator
{
    /// <summary>
    /// The Stream Processing v2.0 API: authentication, the org check, the pipeline state machine,
    /// plus the per-call latency and injected faults that only apply to these calls.
    /// </summary>
    public sealed class StreamingApi(
        PipelineStore store,
        SignatureVerifier verifier,
        FaultInjector faults,
        RequestLog log,
        EmulatorStats stats,
        EmulatorOptions options,
        TimeProvider clock,
        GatewayLimits limits,
        ListingLies lies)
    {
        private static readonly string[] Base = ["streaming", "v2.0", "streaming"];

        /// <summary>Matches the raw path; the pipeline id is exactly one segment, percent-decoded.</summary>
        public static bool TryMatch(string method, RequestTarget target, out StreamingOperation operation, out string? pipelineId)
        {
            operation = default;
            pipelineId = null;
            var raw = target.RawSegments;
            if (raw.Length < 4 || !raw.AsSpan(0, 3).SequenceEqual(Base))
            {
                return false;
            }

            var get = HttpMethods.IsGet(method);
            var post = HttpMethods.IsPost(method);
            if (raw.Length == 4 && raw[3] == "pipelines" && get)
            {
                operation = StreamingOperation.ListPipelines;
                return true;
            }
            if (raw[3] != "pipeline" || raw.Length is < 5 or > 6 || raw[4].Length == 0)
            {
                return false;
            }

            pipelineId = target.Segments[4];
            (var matched, operation) = (raw.Length == 5 ? null : raw[5], get, post) switch
            {
                (null, true, _) => (true, StreamingOperation.GetDetails),
                (null, _, true) => (true, StreamingOperation.PipelineAction),
                ("offset-lag", true, _) => (true, StreamingOperation.GetOffsetLag),
                ("offset", _, true) => (true, StreamingOperation.ResetOffset),
                _ => (false, default),
            };
            if (!matched)
            {
                pipelineId = null;
            }

            return matched;
        }

        public async Task HandleAsync(
            HttpContext context, RequestTarget target, string body, StreamingOperation operation, string? pipelineId)
        {
            stats.EnterStreaming();
            try
            {
                if (options.LatencyMs > 0)
                {
                    await Task.Delay(options.LatencyMs, context.RequestAborted);
                }

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
                        Execute(context, target, body, operation, pipelineId); // the change sticks, the answer is lost
                    }

                    Record(RequestLog.FaultCode);
                    await WriteFaultAsync(context, f);
                    return;
                }

                var result = Execute(context, target, body, operation, pipelineId);
                Record(result.Code);
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

            void Record(int code) => log.Add(new RequestLogEntry(
                context.Request.Method, target.Raw, target.DecodedPath, pipelineId,
                target.QueryByName, body, code, clock.GetUtcNow()));
        }

        private static async Task WriteFaultAsync(HttpContext context, FaultDecision fault)
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

        private ApiResult Execute(
            HttpContext context, RequestTarget target, string body, StreamingOperation operation, string? pipelineId)
        {
            var headers = context.Request.Headers;
            var auth = verifier.Verify(
                headers[SignatureVerifier.TokenHeader], headers[SignatureVerifier.TimestampHeader],
                headers[SignatureVerifier.SignatureHeader], target, body);
            if (!auth.Succeeded)
            {
                return ApiResult.Error(auth.Code, auth.Message);
            }

            var query = target.QueryByName;
            if (!query.TryGetValue("orgId", out var orgId) || orgId.Length == 0)
            {
                return ApiResult.Error(61102, "Missing param orgId");
            }

            if (!string.Equals(orgId, store.OrgId, StringComparison.Ordinal))
            {
                return ApiResult.Error(61106, "Wrong pipelineId or OU has no privilege");
            }

            if (operation == StreamingOperation.ListPipelines)
            {
                return ListPipelines(query);
            }

            var id = pipelineId!;
            return operation switch
            {
                StreamingOperation.GetDetails => Details(id, query),
                StreamingOperation.GetOffsetLag => OffsetLag(id),
                StreamingOperation.ResetOffset => ResetOffset(id),
                _ => Action(id, query, body),
            };
        }

        private ApiResult ListPipelines(IReadOnlyDictionary<string, string> query)
        {
            if (!TryPositive(query, "pageSize", 10, out var pageSize))
            {
                return ApiResult.Error(61199, "Invalid param pageSize.");
            }

            if (!TryPositive(query, "pageNo", 1, out var pageNo))
            {
                return ApiResult.Error(61199, "Invalid param pageNo.");
            }

            var includeSystem = query.TryGetValue("isSystem", out var isSystem)
                && string.Equals(isSystem, "true", StringComparison.OrdinalIgnoreCase);
            // ifReleased is accepted and has no effect: every emulated pipeline is released.

            var size = Math.Min(pageSize, options.PageCap);
            var (offset, _) = lies.Apply(pageNo, size, 0);
            var (count, page) = offset > int.MaxValue
                ? (store.List(includeSystem, 0, 0).Count, [])
                : store.List(includeSystem, (int)offset, size);
            return ApiResult.Ok(new
            {
                count = lies.Apply(pageNo, size, count).Count,
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

        private ApiResult Details(string id, IReadOnlyDictionary<string, string> query)
        {
            var released = query.TryGetValue("ifReleased", out var flag) && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);
            return store.Update(id, p =>
            {
                if (p is null)
                {
                    return NoSuchPipeline;
                }

                var definition = released ? p.Released : p.Saved;
                return definition is null
                    ? ApiResult.Error(61199, "The stream processing job has not been released.")
                    : ApiResult.Ok(definition.ToDetails(p.Id));
            });
        }

        private ApiResult Action(string id, IReadOnlyDictionary<string, string> query, string body)
        {
            if (!query.TryGetValue("action", out var action) || action.Length == 0)
            {
                return store.Find(id) is null ? NoSuchPipeline : ApiResult.Error(61102, "Missing param action");
            }

            return action switch
            {
                "pause" => Transition(id, p => p.Status == PlatformStatus.Running
                    ? Move(p, PlatformStatus.Paused)
                    : ApiResult.Error(61152, $"Status of the stream processing job cannot be changed from [{p.Status}] to Paused.")),
                "stop" => Transition(id, p => p.Status is PlatformStatus.Running or PlatformStatus.Paused
                    ? Move(p, PlatformStatus.Stopped)
                    : ApiResult.Error(61152, $"Status of the stream processing job cannot be changed from [{p.Status}] to Stopped.")),
                // Release publishes the saved version; a released pipeline is PUBLISHED until started again.
                "release" => Transition(id, p => p.Status is PlatformStatus.Stopped or PlatformStatus.Paused
                    ? Release(p)
                    : ApiResult.Error(61169, "Failed to release the stream processing pipeline because it is not stopped or paused.")),
                "start" => limits.Start(() => Start(id, body)),
                "save" => Save(id, body),
                _ => store.Find(id) is null ? NoSuchPipeline : ApiResult.Error(61199, $"Unsupported action [{action}]."),
            };
        }

        private ApiResult Start(string id, string body)
        {
            if (store.Find(id) is null)
            {
                return NoSuchPipeline;
            }

            if (!TryReadStartBody(body, out var executionMode))
            {
                return InvalidJson;
            }

            return Transition(id, p =>
            {
                if (p.Status is not (PlatformStatus.Published or PlatformStatus.Stopped or PlatformStatus.Paused))
                {
                    return ApiResult.Error(61165, $"Stream processing job with status [{p.Status}] cannot be started.");
                }

                p.ExecutionMode = executionMode; // a PAUSED pipeline resumes; the others start afresh
                return Move(p, PlatformStatus.Running);
            });
        }

        /// <summary>Save Pipeline: the body's fields over the saved design; the id "null" creates a pipeline.</summary>
        private ApiResult Save(string id, string body)
        {
            if (id == "null")
            {
                var (created, code, problem) = StoredDefinition.Apply(null, body);
                return created is null ? SaveRefused(code, problem) : ApiResult.Ok(store.Create(created).PipelineId);
            }
            return Transition(id, p =>
            {
                var (saved, code, problem) = StoredDefinition.Apply(p.Saved, body);
                if (saved is null)
                {
                    return SaveRefused(code, problem);
                }

                p.Saved = saved;
                p.Name = saved.Name; // the listing shows the saved name; its version stays the released one
                return ApiResult.Ok(p.Id);
            });
        }

        private static ApiResult SaveRefused(int code, string? problem) => code == 61100 ? InvalidJson : ApiResult.Error(code, problem ?? "");

        /// <summary>Release Pipeline: the saved design goes online; the pipeline is PUBLISHED until started again.</summary>
        private static ApiResult Release(StoredPipeline pipeline)
        {
            pipeline.Released = pipeline.Saved;
            pipeline.Version = pipeline.Saved!.Version;
            pipeline.TemplateType = pipeline.Saved.TemplateType;
            return Move(pipeline, PlatformStatus.Published);
        }

        private ApiResult OffsetLag(string id)
        {
            var pipeline = store.Find(id);
            var status = pipeline?.Status;
            var resets = pipeline?.OffsetResets ?? 0;
            if (status is null)
            {
                return NoSuchPipeline;
            }

            if (status != PlatformStatus.Running)
            {
                return ApiResult.Error(61199, $"Pipeline status is [{status}], offset and lag are available only when RUNNING.");
            }

            // Deterministic per pipeline (FNV-1a of the id) so tests can compare answers between calls.
            var seed = 2166136261u;
            foreach (var c in id)
            {
                seed = (seed ^ c) * 16777619u;
            }

            var baseTs = new DateTimeOffset(2026, 11, 20, 8, 15, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var partitions = Enumerable.Range(0, 3).Select(partition => new
            {
                lag = resets > 0 ? 0L : (long)((seed >> (partition * 4)) % 500), // a reset skipped the backlog
                offset = 100_000L + (seed % 100_000) + partition * 10_000L,
                ts = baseTs + partition * 1000L,
            });
            return ApiResult.Ok(new { pipelineId = id, topicName = "stream_" + id, lagAndOffset = partitions });
        }

        private ApiResult ResetOffset(string id) =>
            Transition(id, p =>
            {
                if (p.Status is not (PlatformStatus.Paused or PlatformStatus.Stopped))
                {
                    return ApiResult.Error(61199, $"Pipeline status is [{p.Status}], the offset can be reset only when PAUSED or STOPPED.");
                }

                if (!p.KafkaRateAvailable)
                {
                    return ApiResult.Error(61168, "Failed to get the Kafka average rate.");
                }

                p.OffsetResets++;
                return ApiResult.Ok("");
            });

        /// <summary>
        /// Runs a status rule under the store lock, so checking the status and changing it are one
        /// atomic step even when many calls hit the same pipeline.
        /// </summary>
        private ApiResult Transition(string id, Func<StoredPipeline, ApiResult> rule) =>
            store.Update(id, pipeline => pipeline is null ? NoSuchPipeline : rule(pipeline));

        private static ApiResult Move(StoredPipeline pipeline, string status)
        {
            pipeline.Status = status;
            return ApiResult.Ok("");
        }

        private static readonly ApiResult NoSuchPipeline = ApiResult.Error(61108, "Stream processing job does not exit.");
        private static readonly ApiResult InvalidJson = ApiResult.Error(61100, "The Stream configuration JSON is invalid.");

        private static bool TryReadStartBody(string body, out int executionMode)
        {
            executionMode = 0;
            if (!IsJsonObject(body, out var root))
            {
                return false;
            }

            return root.TryGetProperty("executionMode", out var mode)
                && mode.ValueKind == JsonValueKind.Number
                && mode.TryGetInt32(out executionMode)
                && executionMode is 0 or 1
                && root.TryGetProperty("kafkaRate", out var rate)
                && rate.ValueKind == JsonValueKind.Number;
        }

        private static bool IsJsonObject(string body, out JsonElement root)
        {
            root = default;
            try
            {
                using var doc = JsonDocument.Parse(body);
                root = doc.RootElement.Clone();
                return root.ValueKind == JsonValueKind.Object;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static bool TryPositive(IReadOnlyDictionary<string, string> query, string name, int fallback, out int value)
        {
            if (!query.TryGetValue(name, out var text) || text.Length == 0)
            {
                value = fallback;
                return true;
            }
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1;
        }
    }
}
