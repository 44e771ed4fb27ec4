using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Definitions;
using EnOS.Streaming.Http;
using EnOS.Streaming.Json;
using EnOS.Streaming.Model;
using EnOS.Streaming.Starts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnOS.Streaming
{
    /// <summary>The Stream Processing v2.0 operations; cheap to create: it shares the connection's chain and carries its user's logger.</summary>
    internal sealed partial class StreamingClient(RequestChain api, StreamingClientOptions options, ILogger? logger)
    {
        private readonly StreamingRequests _requests = new StreamingRequests(api, logger ?? NullLogger.Instance);

        // One per organisation: this client's (one command's) starts share it.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StartBudget> _startBudgets =
            new System.Collections.Concurrent.ConcurrentDictionary<string, StartBudget>(StringComparer.Ordinal);

        /// <summary>Reading, saving and creating pipeline definitions.</summary>
        public PipelineDefinitions Definitions => new PipelineDefinitions(_requests);

        /// <summary>Every pipeline, page by page, each once, within the connection's timeout; without <paramref name="prefetch"/> no page is read early.</summary>
        public PipelineListing ListPipelines(string orgId, bool includeSystem, bool prefetch = true)
        {
            PipelineIds.ThrowIf(PipelineIds.OrgIdProblem(orgId), nameof(orgId));

            return new PipelineListing(async (pageNo, pageSize, cancellationToken) =>
            {
                var query = StreamingRequests.Query(orgId,
                    ("pageSize", pageSize.ToString(CultureInfo.InvariantCulture)),
                    ("pageNo", pageNo.ToString(CultureInfo.InvariantCulture)),
                    ("isSystem", includeSystem ? "true" : "false"));
                var data = await _requests.CallAsync(HttpMethod.Get, StreamingRequests.PipelinesPath, query, null,
                    $"list the pipelines of organisation '{orgId}' (page {pageNo})", cancellationToken).ConfigureAwait(false);
                return PipelineJson.ReadPage(data, orgId, includeSystem);
            }, options.PageSize, _requests.Logger, options.Timeout, prefetch);
        }

        /// <summary>One listing page of one pipeline: the cheapest call that says whether the organisation may be used (61106 if not).</summary>
        public Task CheckOrganisationAsync(string orgId, CancellationToken cancellationToken = default)
        {
            PipelineIds.ThrowIf(PipelineIds.OrgIdProblem(orgId), nameof(orgId));

            var query = StreamingRequests.Query(orgId, ("pageSize", "1"), ("pageNo", "1"), ("isSystem", "false"));
            return _requests.CallAsync(HttpMethod.Get, StreamingRequests.PipelinesPath, query, null,
                $"check organisation '{orgId}'", cancellationToken);
        }

        /// <summary>Get Pipeline Details (the saved design); it has no status: the API only lists that.</summary>
        public async Task<PipelineDefinition> GetPipelineAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            var data = await _requests.CallAsync(HttpMethod.Get, StreamingRequests.PipelinePath(pipelineId), StreamingRequests.Query(orgId), null,
                $"get pipeline '{pipelineId}'", cancellationToken).ConfigureAwait(false);
            var details = PipelineJson.ReadDetails(data, pipelineId);
            details.OrgId = orgId;
            return details;
        }

        public async Task<IReadOnlyList<PipelinePartitionLag>> GetOffsetLagAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default)
        {
            var data = await CallInStatusAsync(HttpMethod.Get, orgId, pipelineId, "/offset-lag", $"get the offset and lag of pipeline '{pipelineId}'",
                new[] { PipelineStatus.Running }, "offset and lag exist only while a pipeline runs.", cancellationToken).ConfigureAwait(false);
            return PipelineJson.ReadLag(data, pipelineId);
        }

        /// <summary>Pauses a running pipeline; one that is already paused counts as done.</summary>
        public Task<StateChange> PausePipelineAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default) =>
            ChangeStateAsync(orgId, pipelineId, "pause", null, PipelineStatus.Paused, EnosErrorCodes.StateConflict, cancellationToken);

        /// <summary>Starts a published or stopped pipeline, or resumes a paused one; one already running counts as done.</summary>
        public Task<StateChange> StartPipelineAsync(string orgId, string pipelineId, StartPipelineRequest request, CancellationToken cancellationToken = default) =>
            // The service starts one pipeline per organisation at a time (61121 to the others): starts queue (StartQueue).
            ChangeStateAsync(orgId, pipelineId, "start", RequestBodies.Start(request), PipelineStatus.Running, EnosErrorCodes.CannotStart, cancellationToken,
                isStart: true);

        /// <summary>Resumes a pipeline listed PAUSED, in the listed mode unless <paramref name="executionMode"/> is given (see <see cref="PlanResumeAsync"/>).</summary>
        public async Task<StateChange> ResumePipelineAsync(string orgId, string pipelineId, int kafkaRate, PipelineDirectory directory,
            ExecutionMode? executionMode = null, CancellationToken cancellationToken = default)
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
            var plan = ResumePlan.For(pipelineId, orgId, pipeline, executionMode);
            if (plan.Decision == ResumeDecision.AlreadyRunning)
            {
                Log.ListedRunning(_requests.Logger, pipelineId);
            }

            return plan;
        }

        /// <summary>Stops a running or paused pipeline, clearing its offsets and cached data; one already stopped counts as done.</summary>
        public Task<StateChange> StopPipelineAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default) =>
            ChangeStateAsync(orgId, pipelineId, "stop", null, PipelineStatus.Stopped, EnosErrorCodes.StateConflict, cancellationToken);

        /// <summary>Publishes the saved design; its refusal (61169) names no status, so <paramref name="directory"/> does, for the message.</summary>
        public async Task ReleasePipelineAsync(string orgId, string pipelineId, PipelineDirectory? directory = null, CancellationToken cancellationToken = default)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            try
            {
                await _requests.CallAsync(HttpMethod.Post, StreamingRequests.PipelinePath(pipelineId), StreamingRequests.Query(orgId, ("action", "release")), null,
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

        /// <summary>Skips what waits in the input topic.</summary>
        public Task ResetOffsetAsync(string orgId, string pipelineId, CancellationToken cancellationToken = default) =>
            CallInStatusAsync(HttpMethod.Post, orgId, pipelineId, "/offset", $"reset the offset of pipeline '{pipelineId}'",
                new[] { PipelineStatus.Paused, PipelineStatus.Stopped }, "the offset can be reset only while a pipeline is paused or stopped.", cancellationToken,
                EnosErrorCodes.KafkaRateUnavailable);

        /// <summary>
        /// A call whose refusal for a pipeline in none of the <paramref name="allowed"/> statuses is undocumented: one whose message names
        /// another status (and whose code says nothing else: not found, or <paramref name="otherMeaning"/>) is said plainly, as a state conflict.
        /// </summary>
        private async Task<JsonElement> CallInStatusAsync(HttpMethod method, string orgId, string pipelineId, string pathEnd, string operation,
            PipelineStatus[] allowed, string conflictReason, CancellationToken cancellationToken, int otherMeaning = EnosErrorCodes.PipelineNotFound)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            try
            {
                return await _requests.CallAsync(method, StreamingRequests.PipelinePath(pipelineId) + pathEnd, StreamingRequests.Query(orgId), null,
                    operation, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException exception) when (exception.Code != EnosErrorCodes.PipelineNotFound && exception.Code != otherMeaning
                                                     && NamesAnotherStatus(exception, allowed))
            {
                throw new PipelineStateConflictException(pipelineId, exception.ReportedStatus!, conflictReason, exception);
            }
        }

        private async Task<StateChange> ChangeStateAsync(
            string orgId, string pipelineId, string action, string? body, PipelineStatus target, int conflictCode, CancellationToken cancellationToken,
            bool isStart = false)
        {
            PipelineIds.EnsureValid(pipelineId, orgId);
            try
            {
                await _requests.CallAsync(
                    new ApiRequest(HttpMethod.Post, StreamingRequests.PipelinePath(pipelineId), StreamingRequests.Query(orgId, ("action", action)), body,
                        $"{action} pipeline '{pipelineId}'", isStart ? orgId : null,
                        StartBudget: isStart ? _startBudgets.GetOrAdd(orgId, _ => new StartBudget()) : null),
                    cancellationToken).ConfigureAwait(false);
                return StateChange.Applied;
            }
            catch (EnosApiException exception) when (exception.Code == conflictCode
                                                     && PipelineStatusText.Parse(exception.ReportedStatus) == target)
            {
                // Already so; after an attempt whose answer was lost, that attempt most likely did it: reported as applied.
                Log.AlreadyInState(_requests.Logger, exception.Code, pipelineId, exception.ReportedStatus);
                return exception.Outcome == RequestOutcome.MayHaveApplied ? StateChange.Applied : StateChange.AlreadyInState;
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

        /// <summary>True when the service's refusal names a status this module knows and that is none of <paramref name="allowed"/>.</summary>
        private static bool NamesAnotherStatus(EnosApiException exception, PipelineStatus[] allowed)
        {
            var status = PipelineStatusText.Parse(exception.ReportedStatus);
            return status != PipelineStatus.Unknown && Array.IndexOf(allowed, status) < 0;
        }

        private static partial class Log
        {
            [LoggerMessage(Level = LogLevel.Debug, Message = "Pipeline '{PipelineId}' is listed as running: nothing to send.")]
            public static partial void ListedRunning(ILogger logger, string pipelineId);

            [LoggerMessage(Level = LogLevel.Debug, Message = "EnOS {Code} says pipeline '{PipelineId}' is already {Status}: the asked-for state.")]
            public static partial void AlreadyInState(ILogger logger, int code, string pipelineId, string? status);
        }
    }
}
