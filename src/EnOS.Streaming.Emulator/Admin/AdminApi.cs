namespace EnOS.Streaming.Emulator.Admin
{
    /// <summary>
    /// The unsigned /_emulator/* endpoints tests use to arrange state and observe what the client did.
    /// The module never calls them.
    /// </summary>
    public sealed class AdminApi(
        PipelineStore store, TokenService tokens, FaultInjector faults, RequestLog log, EmulatorStats stats, GatewayLimits limits, ListingLies lies,
        HostileAnswers hostile, PipelineTransitions transitions)
    {
        public const string Prefix = "_emulator";

        public Task HandleAsync(HttpContext context, RequestTarget target, string body)
        {
            // Segments after "_emulator", decoded: ids like "../x" arrive as one encoded segment.
            var decoded = target.Segments.AsSpan(1);
            var raw = target.RawSegments.AsSpan(1);
            var method = context.Request.Method;
            var get = HttpMethods.IsGet(method);
            var put = HttpMethods.IsPut(method);
            var post = HttpMethods.IsPost(method);
            var delete = HttpMethods.IsDelete(method);

            IResult result = (raw.Length, raw.Length > 0 ? raw[0] : "") switch
            {
                (1, "pipelines") when get => Json(store.All()),
                (2, "pipelines") when get => store.Find(decoded[1]) is { } p ? Json(p) : NotFound($"No pipeline '{decoded[1]}'."),
                (2, "pipelines") when delete => store.Remove(decoded[1]) ? Json(new { deleted = decoded[1] }) : NotFound($"No pipeline '{decoded[1]}'."),
                (3, "pipelines") when put && raw[1] == "status" && decoded[2].Length > 0 =>
                    Json(new { updated = store.ForceStatusOfAll(decoded[2]) }),
                (4, "pipelines") when put && raw[2] == "status" && decoded[1].Length > 0 && decoded[3].Length > 0 =>
                    Json(store.ForceStatus(decoded[1], decoded[3])),
                (3, "pipelines") when put && raw[2] == "name" => Rename(decoded[1], body),
                (3, "pipelines") when put && raw[2] == "kafka-rate" => KafkaRate(decoded[1], body),
                (3, "pipelines") when put && raw[2] == "lag" => LagTrendOf(decoded[1], body),
                (1, "requests") when get => Json(log.Snapshot()),
                (1, "requests") when delete => Clear(log.Clear),
                (1, "stats") when get => Json(stats.Snapshot()),
                (2, "stats") when post && raw[1] == "reset" => Clear(stats.Reset),
                (2, "tokens") when post && raw[1] == "expire" => Clear(tokens.ExpireAll),
                (2, "app") when post && raw[1] == "revoke" => Clear(tokens.RevokeApp),
                (2, "app") when post && raw[1] == "restore" => Clear(tokens.RestoreApp),
                (1, "faults") when get => Json(faults.Settings),
                (1, "faults") when put => Configure(() => faults.Configure(JsonBody.ReadSettings<FaultSettings>(body)), () => faults.Settings),
                (1, "faults") when delete => Clear(faults.Clear),
                (1, "limits") when get => Json(new { settings = limits.Settings, throttled = limits.Throttled }),
                (1, "limits") when put => Configure(() => limits.Configure(JsonBody.ReadSettings<LimitSettings>(body)), () => limits.Settings),
                (1, "limits") when delete => Clear(limits.Clear),
                (1, "down") when post => Clear(limits.GoDown),
                (1, "listing-lies") when put => Configure(() => lies.Configure(JsonBody.ReadSettings<ListingLieSettings>(body)), () => lies.Settings),
                (1, "listing-lies") when delete => Clear(lies.Clear),
                (1, "hostile") when get => Json((object?)hostile.Settings ?? new { }),
                (1, "hostile") when put => Configure(() => hostile.Configure(JsonBody.ReadSettings<HostileSettings>(body)), () => (object?)hostile.Settings ?? new { }),
                (1, "hostile") when delete => Clear(hostile.Clear),
                (1, "transitions") when get => Json(new { settings = transitions.Settings, starts = transitions.Starts }),
                (1, "transitions") when put => Configure(
                    () => transitions.Configure(JsonBody.ReadSettings<TransitionSettings>(body)), () => transitions.Settings),
                (1, "transitions") when delete => Clear(transitions.Clear),
                _ => NotFound($"No admin endpoint {method} {target.DecodedPath}."),
            };
            return result.ExecuteAsync(context);
        }

        /// <summary>Body {"name": "..."}: any text, hidden characters included (tests of how names are shown).</summary>
        private IResult Rename(string id, string body) => Configure(
            () => JsonBody.ReadSettings<NameBody>(body).Name, name => store.Rename(id, name), id);

        /// <summary>Body {"available": false}: Reset Offset of the pipeline answers 61168 until set back to true.</summary>
        private IResult KafkaRate(string id, string body) => Configure(
            () => JsonBody.ReadSettings<KafkaRateBody>(body).Available, available => store.SetKafkaRateAvailable(id, available), id);

        /// <summary>Body {"trend": "draining"}: this pipeline's lag moves so from now on (null: as the emulator's).</summary>
        private IResult LagTrendOf(string id, string body) => Configure(
            () => JsonBody.ReadSettings<LagBody>(body).Trend, trend => store.SetLagTrend(id, trend), id);

        private static IResult Configure<T>(Func<T> read, Func<T, PipelineView?> change, string id)
        {
            try
            {
                return change(read()) is { } pipeline ? Json(pipeline) : NotFound($"No pipeline '{id}'.");
            }
            catch (FormatException e)
            {
                return BadRequest(e.Message);
            }
        }

        private static IResult Configure(Action configure, Func<object> result)
        {
            try
            {
                configure();
                return Json(result());
            }
            catch (FormatException e)
            {
                return BadRequest(e.Message);
            }
        }

        private static IResult Clear(Action action)
        {
            action();
            return Json(new { ok = true });
        }

        private static IResult Json(object value) => Results.Json(value, ApiResult.JsonOptions);

        private static IResult BadRequest(string error) =>
            Results.Json(new { error }, ApiResult.JsonOptions, statusCode: StatusCodes.Status400BadRequest);

        private static IResult NotFound(string error) =>
            Results.Json(new { error }, ApiResult.JsonOptions, statusCode: StatusCodes.Status404NotFound);

        private sealed record NameBody(string Name) : IAdminBody<NameBody>
        {
            public NameBody Checked() => this;
        }

        private sealed record KafkaRateBody(bool Available) : IAdminBody<KafkaRateBody>
        {
            public KafkaRateBody Checked() => this;
        }

        private sealed record LagBody(LagTrend? Trend) : IAdminBody<LagBody>
        {
            public LagBody Checked() => Trend is null || Enum.IsDefined(Trend.Value) ? this : throw new FormatException("Unknown lag trend.");
        }
    }
}
