using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnOS.Streaming
{
    /// <summary>
    /// The Stream Processing v2.0 operations. Cheap to create: it shares the connection's HTTP
    /// handlers and token, and carries the logger of whoever uses it.
    /// </summary>
    public sealed class StreamingClient
    {
        private const string BasePath = "/streaming/v2.0/streaming";

        private readonly SignedApiCaller _api;
        private readonly StreamingClientOptions _options;
        private readonly ILogger _logger;

        internal StreamingClient(SignedApiCaller api, StreamingClientOptions options, ILogger? logger)
        {
            _api = api;
            _options = options;
            _logger = logger ?? NullLogger.Instance;
        }

        /// <summary>
        /// Lists every pipeline of the organisation, page by page in page order, each once. The time
        /// spent waiting for pages is bounded by the connection's timeout. With
        /// <paramref name="prefetch"/> the next page is fetched while the caller handles one, and
        /// once the count is known several pages at once; without it, no page is read before it
        /// is asked for.
        /// </summary>
        public PipelineListing ListPipelines(string orgId, bool includeSystem, bool prefetch = true)
        {
            var problem = PipelineIds.OrgIdProblem(orgId);
            if (problem != null)
            {
                throw new ArgumentException(problem, nameof(orgId));
            }

            return new PipelineListing(async (pageNo, pageSize, cancellationToken) =>
            {
                var query = Query(orgId,
                    ("pageSize", pageSize.ToString(CultureInfo.InvariantCulture)),
                    ("pageNo", pageNo.ToString(CultureInfo.InvariantCulture)),
                    ("isSystem", includeSystem ? "true" : "false"));
                var data = await CallAsync(HttpMethod.Get, BasePath + "/pipelines", query, null,
                    $"list the pipelines of organisation '{orgId}' (page {pageNo})", cancellationToken).ConfigureAwait(false);
                return PipelineJson.ReadPage(data, orgId, includeSystem);
            }, _options.PageSize, _logger, _options.Timeout, prefetch);
        }

        public async Task<PipelineDetails> GetPipelineAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            var data = await CallAsync(HttpMethod.Get, PipelinePath(pipelineId), Query(orgId), null,
                $"get pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
            return PipelineJson.ReadDetails(data, pipelineId);
        }

        /// <summary>Pauses a running pipeline; one that is already paused counts as done.</summary>
        public Task<StateChange> PausePipelineAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default) =>
            ChangeStateAsync(orgId, pipelineId, "pause", null, PipelineStatus.Paused, EnosErrorCodes.StateConflict, cancellationToken);

        /// <summary>
        /// Starts a published or stopped pipeline, or resumes a paused one from where it paused.
        /// One that is already running counts as done.
        /// </summary>
        public Task<StateChange> StartPipelineAsync(string orgId, string pipelineId, StartPipelineRequest request, CancellationToken cancellationToken = default) =>
            // The service starts one pipeline per organisation at a time and answers the others
            // 61121 ("try again later"): a bulk start meets it by design, so starts queue per
            // organisation (StartQueue) for as long as the time budget allows.
            ChangeStateAsync(orgId, pipelineId, "start", StartBody(request), PipelineStatus.Running, EnosErrorCodes.CannotStart, cancellationToken,
                isStart: true);

        /// <summary>
        /// Resumes a paused pipeline from where it paused. The start action is sent only for a
        /// pipeline listed PAUSED, read from <paramref name="directory"/> at most
        /// <see cref="PipelineDirectory.MaxAge"/> before, in the execution mode listed (or
        /// <paramref name="executionMode"/>). Running is already done; anything else is refused
        /// without a request: the start action would begin a stopped, published or failed pipeline
        /// afresh, without its offsets. See <see cref="PlanResumeAsync"/>.
        /// </summary>
        public async Task<StateChange> ResumePipelineAsync(string orgId, string pipelineId, int kafkaRate, PipelineDirectory directory,
            CancellationToken cancellationToken = default, ExecutionMode? executionMode = null)
        {
            var plan = await PlanResumeAsync(orgId, pipelineId, directory, executionMode, cancellationToken).ConfigureAwait(false);
            switch (plan.Decision)
            {
                case ResumeDecision.AlreadyRunning:
                    return StateChange.AlreadyInState;
                case ResumeDecision.Refuse:
                    throw plan.Refusal!;
            }

            var request = new StartPipelineRequest { ExecutionMode = plan.ExecutionMode, KafkaRate = kafkaRate };
            return await StartPipelineAsync(orgId, pipelineId, request, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>What <see cref="ResumePipelineAsync"/> would do with the pipeline now; reads, never changes.</summary>
        public async Task<ResumePlan> PlanResumeAsync(string orgId, string pipelineId, PipelineDirectory directory,
            ExecutionMode? executionMode = null, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            var pipeline = await directory.FindAsync(orgId, pipelineId, cancellationToken).ConfigureAwait(false);
            var mode = executionMode ?? pipeline?.ExecutionMode ?? ExecutionMode.Standalone;
            if (pipeline == null)
            {
                return new ResumePlan(pipelineId, null, ResumeDecision.Refuse, mode, new PipelineNotListedException(pipelineId, orgId));
            }

            switch (pipeline.Status)
            {
                case PipelineStatus.Paused:
                    return new ResumePlan(pipelineId, pipeline, ResumeDecision.Resume, mode, null);
                case PipelineStatus.Running:
                    _logger.LogDebug("Pipeline '{PipelineId}' is listed as running: nothing to send.", pipelineId);
                    return new ResumePlan(pipelineId, pipeline, ResumeDecision.AlreadyRunning, mode, null);
                default:
                    // Stopped, published, failed, stopping, or a status this module does not know.
                    var status = pipeline.StatusText ?? PipelineStatusText.ToApiText(pipeline.Status);
                    return new ResumePlan(pipelineId, pipeline, ResumeDecision.Refuse, mode, new PipelineStateConflictException(pipelineId, status,
                        "only a paused pipeline can be resumed; the start action would begin this one afresh, without its offsets."));
            }
        }

        /// <summary>Stops a running or paused pipeline, clearing its offsets and cached data; one already stopped counts as done.</summary>
        public Task<StateChange> StopPipelineAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default) =>
            ChangeStateAsync(orgId, pipelineId, "stop", null, PipelineStatus.Stopped, EnosErrorCodes.StateConflict, cancellationToken);

        public async Task<IReadOnlyList<PipelinePartitionLag>> GetOffsetLagAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            JsonElement data;
            try
            {
                data = await CallAsync(HttpMethod.Get, PipelinePath(pipelineId) + "/offset-lag", Query(orgId), null,
                    $"get the offset and lag of pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException exception) when (exception.Code != EnosErrorCodes.PipelineNotFound
                                                     && PipelineStatusText.Parse(exception.ReportedStatus) is var status
                                                     && status != PipelineStatus.Running && status != PipelineStatus.Unknown)
            {
                // What the service answers for a pipeline that is not running is undocumented; when
                // its message names the status, that is the reason, and worth saying plainly.
                throw new PipelineStateConflictException(pipelineId, exception.ReportedStatus!,
                    "offset and lag exist only while a pipeline runs.", exception);
            }

            return PipelineJson.ReadLag(data, pipelineId);
        }

        private async Task<StateChange> ChangeStateAsync(
            string orgId, string pipelineId, string action, string? body, PipelineStatus target, int conflictCode, CancellationToken cancellationToken,
            bool isStart = false)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            try
            {
                await _api.CallAsync(
                    new ApiRequest(HttpMethod.Post, PipelinePath(pipelineId), Query(orgId, ("action", action)), body, $"{action} pipeline '{pipelineId}'",
                        isStart ? orgId : null),
                    _logger, cancellationToken).ConfigureAwait(false);
                return StateChange.Applied;
            }
            catch (EnosApiException exception) when (exception.Code == conflictCode
                                                     && PipelineStatusText.Parse(exception.ReportedStatus) == target)
            {
                // Already where the caller wants it: also what a retry sees when the first
                // answer was lost after the service applied the change.
                _logger.LogDebug("EnOS {Code} says pipeline '{PipelineId}' is already {Status}: the asked-for state.", exception.Code, pipelineId, exception.ReportedStatus);
                return StateChange.AlreadyInState;
            }
        }

        private Task<JsonElement> CallAsync(HttpMethod method, string escapedPath, IReadOnlyList<KeyValuePair<string, string>> query,
            string? body, string operation, CancellationToken cancellationToken) =>
            _api.CallAsync(new ApiRequest(method, escapedPath, query, body, operation), _logger, cancellationToken);

        /// <summary>The id as exactly one escaped path segment: '/', '?', '#' and '%' cannot change the target.</summary>
        private static string PipelinePath(string pipelineId) => BasePath + "/pipeline/" + Uri.EscapeDataString(pipelineId);

        private static IReadOnlyList<KeyValuePair<string, string>> Query(string orgId, params (string Name, string Value)[] parameters)
        {
            var query = new List<KeyValuePair<string, string>>(parameters.Length + 1);
            foreach (var (name, value) in parameters)
            {
                query.Add(new KeyValuePair<string, string>(name, value));
            }

            query.Add(new KeyValuePair<string, string>("orgId", orgId));
            return query;
        }

        private static string StartBody(StartPipelineRequest request)
        {
            using (var buffer = new System.IO.MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    json.WriteNumber("executionMode", (int)request.ExecutionMode);
                    json.WriteNumber("kafkaRate", request.KafkaRate);
                    if (request.ResourceConfig != null)
                    {
                        json.WritePropertyName("resourceConfig");
                        JsonSerializer.Serialize(json, request.ResourceConfig);
                    }

                    json.WriteEndObject();
                }

                return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            }
        }

        /// <summary>
        /// Get Pipeline Details as a definition: the saved design, or with <paramref name="released"/>
        /// the configuration published online. The configuration is kept exactly as the service sent it.
        /// </summary>
        public async Task<PipelineDefinition> GetPipelineDefinitionAsync(string orgId, string pipelineId, bool released = false,
            CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            var data = await CallAsync(HttpMethod.Get, PipelinePath(pipelineId), Query(orgId, ("ifReleased", released ? "true" : "false")), null,
                $"get the {(released ? "released" : "saved")} definition of pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
            var details = PipelineJson.ReadDetails(data, pipelineId);
            return new PipelineDefinition
            {
                PipelineId = details.PipelineId,
                Name = details.Name,
                OrgId = orgId,
                Description = details.Description,
                Version = details.Version,
                TemplateType = details.TemplateType,
                TemplateName = details.TemplateName,
                MessageChannel = details.MessageChannel,
                PipelineJson = details.PipelineJson,
                Released = released,
            };
        }

        /// <summary>
        /// Save Pipeline: saves the definition's fields that are set over the pipeline's saved
        /// design (not the released one: see <see cref="ReleasePipelineAsync"/>). The definition's
        /// own id and organisation are ignored: <paramref name="pipelineId"/> is the pipeline saved.
        /// </summary>
        public async Task SavePipelineAsync(string orgId, string pipelineId, PipelineDefinition definition, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            var body = SaveBody(definition);
            await CallAsync(HttpMethod.Post, PipelinePath(pipelineId), Query(orgId, ("action", "save")), body,
                $"save pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Save Pipeline with the id <c>null</c>: creates a pipeline from the definition and returns its id.</summary>
        public async Task<string> CreatePipelineAsync(string orgId, PipelineDefinition definition, CancellationToken cancellationToken = default)
        {
            var problem = PipelineIds.OrgIdProblem(orgId)
                          ?? (string.IsNullOrWhiteSpace(definition.Name) ? "A new pipeline needs a name." : null);
            if (problem != null)
            {
                throw new ArgumentException(problem);
            }

            var body = SaveBody(definition);
            // The API's own spelling: the literal id "null" asks for a new pipeline.
            var data = await _api.CallAsync(
                new ApiRequest(HttpMethod.Post, BasePath + "/pipeline/null", Query(orgId, ("action", "save")), body, $"create pipeline '{definition.Name}'",
                    repeatable: false),
                _logger, cancellationToken).ConfigureAwait(false);
            var id = data.ValueKind == JsonValueKind.String || data.ValueKind == JsonValueKind.Number
                ? (data.ValueKind == JsonValueKind.String ? data.GetString() : data.GetRawText())
                : JsonFields.String(data, "pipelineId");
            if (string.IsNullOrWhiteSpace(id) || PipelineIds.Problem(id) != null)
            {
                throw new EnosTransportException(
                    $"The service accepted the new pipeline '{definition.Name}' but did not answer a usable id for it; look for it with Get-EnosPipeline -Name.",
                    TransportFailure.InvalidResponse, null, null, isTransient: false);
            }

            return id!;
        }

        /// <summary>
        /// Release Pipeline: publishes the saved design online. The service wants the pipeline
        /// stopped or paused, and its refusal (61169) does not say what the status is: the
        /// listing in <paramref name="directory"/> does, for the message.
        /// </summary>
        public async Task ReleasePipelineAsync(string orgId, string pipelineId, PipelineDirectory? directory = null, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            try
            {
                await CallAsync(HttpMethod.Post, PipelinePath(pipelineId), Query(orgId, ("action", "release")), null,
                    $"release pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException exception) when (exception.Code == EnosErrorCodes.CannotRelease)
            {
                var status = exception.ReportedStatus ?? await ListedStatusAsync(orgId, pipelineId, directory, cancellationToken).ConfigureAwait(false);
                if (status == null)
                {
                    throw;
                }

                throw new PipelineStateConflictException(pipelineId, status, "only a stopped or paused pipeline can be released.", exception);
            }
        }

        /// <summary>
        /// Reset Pipeline Offset: the pipeline skips what is waiting in its input topic. Needs it
        /// paused or stopped; the service's refusal for another status is not documented, so one
        /// whose message names the status is reported as the state conflict it is.
        /// </summary>
        public async Task ResetOffsetAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            try
            {
                await CallAsync(HttpMethod.Post, PipelinePath(pipelineId) + "/offset", Query(orgId), null,
                    $"reset the offset of pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException exception) when (exception.Code != EnosErrorCodes.PipelineNotFound
                                                     && exception.Code != EnosErrorCodes.KafkaRateUnavailable
                                                     && PipelineStatusText.Parse(exception.ReportedStatus) is var status
                                                     && status != PipelineStatus.Paused && status != PipelineStatus.Stopped
                                                     && status != PipelineStatus.Unknown)
            {
                throw new PipelineStateConflictException(pipelineId, exception.ReportedStatus!,
                    "the offset can be reset only while a pipeline is paused or stopped.", exception);
            }
        }

        private async Task<string?> ListedStatusAsync(string orgId, string pipelineId, PipelineDirectory? directory, CancellationToken cancellationToken)
        {
            try
            {
                var pipeline = await (directory ?? new PipelineDirectory(this)).FindAsync(orgId, pipelineId, cancellationToken).ConfigureAwait(false);
                return pipeline == null ? null : pipeline.StatusText ?? PipelineStatusText.ToApiText(pipeline.Status);
            }
            catch (EnosException)
            {
                // The status only improves the message; the service's refusal stands without it.
                return null;
            }
        }

        /// <summary>Save Pipeline's body: the fields the definition sets, in the documented order; the configuration as a JSON object.</summary>
        internal static string SaveBody(PipelineDefinition definition)
        {
            using (var buffer = new System.IO.MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    if (definition.Version != null)
                    {
                        json.WriteString("version", definition.Version);
                    }

                    if (definition.Name != null)
                    {
                        json.WriteString("name", definition.Name);
                    }

                    if (definition.TemplateType.HasValue)
                    {
                        json.WriteNumber("templateType", definition.TemplateType.Value);
                    }

                    if (definition.TemplateName != null)
                    {
                        json.WriteString("templateName", definition.TemplateName);
                    }

                    if (definition.MessageChannel.HasValue)
                    {
                        json.WriteNumber("messageChannel", definition.MessageChannel.Value);
                    }

                    if (definition.PipelineJson != null)
                    {
                        json.WritePropertyName("pipelineJson");
                        try
                        {
                            PipelineDefinitionFile.WriteConfiguration(json, definition.PipelineJson);
                        }
                        catch (FormatException exception)
                        {
                            throw new ArgumentException($"The definition's {exception.Message} Nothing was sent.", exception);
                        }
                    }

                    json.WriteEndObject();
                }

                return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            }
        }

        /// <summary>
        /// What saving <paramref name="definition"/> into <paramref name="orgId"/> would do; reads,
        /// never changes. The pipeline is the definition's own id when the definition comes from
        /// that organisation (or names none), and otherwise the one pipeline with its name there:
        /// how a definition exported from a test organisation finds its pipeline in production.
        /// </summary>
        public async Task<SavePlan> PlanSaveAsync(string orgId, PipelineDefinition definition, PipelineNameIndex names, bool createMissing,
            CancellationToken cancellationToken = default)
        {
            var problem = PipelineIds.OrgIdProblem(orgId) ?? DefinitionProblem(definition);
            if (problem != null)
            {
                throw new ArgumentException(problem);
            }

            var byId = definition.PipelineId != null && (definition.OrgId == null || string.Equals(definition.OrgId, orgId, StringComparison.Ordinal));
            var pipelineId = definition.PipelineId;
            if (!byId && string.IsNullOrWhiteSpace(definition.Name))
            {
                throw new ArgumentException($"The definition comes from organisation '{definition.OrgId}' and has no name to find its pipeline by in organisation '{orgId}'.");
            }

            if (!byId)
            {
                var matches = await names.FindAsync(orgId, definition.Name!, cancellationToken).ConfigureAwait(false);
                if (matches.Count != 1)
                {
                    return matches.Count == 0 && createMissing
                        ? new SavePlan(definition, orgId, null, SaveDecision.Create, Array.Empty<string>(), null, true)
                        : new SavePlan(definition, orgId, null, SaveDecision.Refuse, Array.Empty<string>(),
                            new PipelineNameException(definition.Name!, orgId, matches.Select(p => p.PipelineId).ToList()), true);
                }

                pipelineId = matches[0].PipelineId;
            }

            var saved = await GetPipelineDefinitionAsync(orgId, pipelineId!, released: false, cancellationToken).ConfigureAwait(false);
            var changes = definition.ChangesFrom(saved);
            return new SavePlan(definition, orgId, pipelineId, changes.Count == 0 ? SaveDecision.Unchanged : SaveDecision.Save, changes, null, !byId);
        }

        /// <summary>
        /// What creating a pipeline from <paramref name="definition"/> would do: refused when a
        /// pipeline of that name exists already (running a promotion twice creates nothing twice).
        /// </summary>
        public async Task<SavePlan> PlanCreateAsync(string orgId, PipelineDefinition definition, PipelineNameIndex names,
            CancellationToken cancellationToken = default)
        {
            var problem = PipelineIds.OrgIdProblem(orgId) ?? DefinitionProblem(definition);
            if (problem != null)
            {
                throw new ArgumentException(problem);
            }

            var matches = await names.FindAsync(orgId, definition.Name!, cancellationToken).ConfigureAwait(false);
            return matches.Count == 0
                ? new SavePlan(definition, orgId, null, SaveDecision.Create, Array.Empty<string>(), null, true)
                : new SavePlan(definition, orgId, null, SaveDecision.Refuse, Array.Empty<string>(),
                    new PipelineNameException(definition.Name!, orgId, matches.Select(p => p.PipelineId).ToList()), true);
        }

        /// <summary>Carries out a plan; returns the id of the pipeline saved or created (null when nothing was sent).</summary>
        public async Task<string?> ApplySaveAsync(SavePlan plan, PipelineNameIndex names, CancellationToken cancellationToken = default)
        {
            switch (plan.Decision)
            {
                case SaveDecision.Save:
                    await SavePipelineAsync(plan.OrgId, plan.PipelineId!, plan.Definition, cancellationToken).ConfigureAwait(false);
                    return plan.PipelineId;
                case SaveDecision.Create:
                    var id = await CreatePipelineAsync(plan.OrgId, plan.Definition, cancellationToken).ConfigureAwait(false);
                    names.Add(plan.OrgId, new Pipeline { PipelineId = id, Name = plan.Definition.Name, OrgId = plan.OrgId });
                    return id;
                case SaveDecision.Unchanged:
                    return plan.PipelineId;
                default:
                    throw plan.Refusal!;
            }
        }

        /// <summary>Why a definition cannot be saved at all, before anything is sent; null when it can.</summary>
        private static string? DefinitionProblem(PipelineDefinition definition)
        {
            if (string.IsNullOrWhiteSpace(definition.Name) && definition.PipelineId == null)
            {
                return "The definition has neither a name nor a pipeline id, so there is no pipeline to save it to.";
            }

            if (definition.PipelineId != null && PipelineIds.Problem(definition.PipelineId) is { } idProblem)
            {
                return idProblem;
            }

            if (definition.PipelineJson != null)
            {
                try
                {
                    PipelineDefinitionFile.CanonicalJson(definition.PipelineJson);
                }
                catch (FormatException exception)
                {
                    return $"The definition's {exception.Message}";
                }
            }

            return null;
        }
    }
}
