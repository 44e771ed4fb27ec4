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
            var id = decoded.Length > 1 ? decoded[1] : "";

            IResult result = (raw.Length, raw.Length > 0 ? raw[0] : "") switch
            {
                (1, "pipelines") when get => Json(store.All()),
                (2, "pipelines") when get => Pipeline(id, store.Find(id)),
                (2, "pipelines") when delete => store.Remove(id) ? Json(new { deleted = id }) : NoPipeline(id),
                (3, "pipelines") when put && raw[1] == "status" && decoded[2].Length > 0 =>
                    Json(new { updated = store.ForceStatusOfAll(decoded[2]) }),
                (4, "pipelines") when put && raw[2] == "status" && id.Length > 0 && decoded[3].Length > 0 =>
                    Json(store.ForceStatus(id, decoded[3])),
                // Any name, hidden characters included (tests of how names are shown); the saved design follows.
                (3, "pipelines") when put && raw[2] == "name" =>
                    Change<NameBody>((p, change) => (p.Name, p.Saved) = (change.Name, p.Saved! with { Name = change.Name })),
                (3, "pipelines") when put && raw[2] == "kafka-rate" => Change<KafkaRateBody>((p, change) => p.KafkaRateAvailable = change.Available),
                // Its calls are counted afresh: a trend starts from the pipeline's base lag.
                (3, "pipelines") when put && raw[2] == "lag" => Change<LagBody>((p, change) => (p.LagTrend, p.LagCalls) = (change.Trend, 0)),
                (1, "requests") when get => Json(log.Snapshot()),
                (1, "requests") when delete => Done(log.Clear),
                (1, "stats") when get => Json(stats.Snapshot()),
                (2, "stats") when post && raw[1] == "reset" => Done(stats.Reset),
                (2, "tokens") when post && raw[1] == "expire" => Done(tokens.ExpireAll),
                (2, "app") when post && raw[1] == "revoke" => Done(tokens.RevokeApp),
                (2, "app") when post && raw[1] == "restore" => Done(tokens.RestoreApp),
                (1, "down") when post => Done(limits.GoDown),
                (1, "faults") => Switch(faults),
                (1, "limits") => Switch(limits),
                (1, "listing-lies") => Switch(lies),
                (1, "hostile") => Switch(hostile),
                (1, "transitions") => Switch(transitions),
                _ => NoEndpoint(),
            };
            return result.ExecuteAsync(context);

            IResult Switch<TSettings>(AdminSwitch<TSettings> setting)
                where TSettings : class, IAdminBody<TSettings> =>
                get ? Json(setting.View)
                : put ? Checked(() =>
                {
                    setting.Configure(JsonBody.ReadSettings<TSettings>(body));
                    return Json(setting.View);
                })
                : delete ? Done(setting.Clear)
                : NoEndpoint();

            IResult Change<TBody>(Action<StoredPipeline, TBody> change)
                where TBody : IAdminBody<TBody> =>
                Checked(() =>
                {
                    var read = JsonBody.ReadSettings<TBody>(body);
                    return Pipeline(id, store.Change(id, p => change(p, read)));
                });

            IResult NoEndpoint() => Error(StatusCodes.Status404NotFound, $"No admin endpoint {method} {target.DecodedPath}.");
        }

        /// <summary>An admin body that does not fit is HTTP 400 naming why; nothing changes then.</summary>
        private static IResult Checked(Func<IResult> answer)
        {
            try
            {
                return answer();
            }
            catch (FormatException e)
            {
                return Error(StatusCodes.Status400BadRequest, e.Message);
            }
        }

        private static IResult Pipeline(string id, PipelineView? pipeline) => pipeline is null ? NoPipeline(id) : Json(pipeline);

        private static IResult NoPipeline(string id) => Error(StatusCodes.Status404NotFound, $"No pipeline '{id}'.");

        private static IResult Done(Action action)
        {
            action();
            return Json(new { ok = true });
        }

        private static IResult Json(object value) => Results.Json(value, ApiResult.JsonOptions);

        private static IResult Error(int status, string error) => Results.Json(new { error }, ApiResult.JsonOptions, statusCode: status);

        private sealed record NameBody(string Name) : IAdminBody<NameBody>;

        /// <summary>false: Reset Offset of the pipeline answers 61168 until set back to true.</summary>
        private sealed record KafkaRateBody(bool Available) : IAdminBody<KafkaRateBody>;

        /// <summary>null: the pipeline's lag moves as the emulator's.</summary>
        private sealed record LagBody(LagTrend? Trend) : IAdminBody<LagBody>
        {
            public LagBody Checked() => Trend is null || Enum.IsDefined(Trend.Value) ? this : throw new FormatException("Unknown lag trend.");
        }
    }
}
