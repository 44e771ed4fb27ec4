namespace EnOS.Streaming.Emulator.Api
{
    /// <summary>
    /// The pipeline state machine: the action endpoint (pause, stop, release, start, save) and Reset
    /// Offset. Each rule checks a pipeline's status and changes it under the store lock.
    /// </summary>
    public sealed class PipelineLifecycle(PipelineStore store, GatewayLimits limits, PipelineTransitions transitions)
    {
        /// <summary>POST …/pipeline/{id}?action=…</summary>
        public ApiResult Act(string id, IReadOnlyDictionary<string, string> query, string body)
        {
            var action = query.GetValueOrDefault("action");
            return action switch
            {
                null or "" => store.Answer(id, _ => ApiResult.Error(61102, "Missing param action")),
                "pause" => store.Answer(id, p => p.Status == PlatformStatus.Running
                    ? transitions.Move(p, PlatformStatus.Pausing, PlatformStatus.Paused)
                    : ApiResult.Error(61152, $"Status of the stream processing job cannot be changed from [{p.Status}] to Paused.")),
                "stop" => store.Answer(id, p => p.Status is PlatformStatus.Running or PlatformStatus.Paused
                    ? transitions.Move(p, PlatformStatus.Stopping, PlatformStatus.Stopped)
                    : ApiResult.Error(61152, $"Status of the stream processing job cannot be changed from [{p.Status}] to Stopped.")),
                "release" => store.Answer(id, p => p.Status is PlatformStatus.Stopped or PlatformStatus.Paused
                    ? Release(p)
                    : ApiResult.Error(61169, "Failed to release the stream processing pipeline because it is not stopped or paused.")),
                "start" => limits.Start(() => Start(id, body)),
                "save" => Save(id, body),
                _ => store.Answer(id, _ => ApiResult.Error(61199, $"Unsupported action [{action}].")),
            };
        }

        /// <summary>POST …/pipeline/{id}/offset: only a PAUSED or STOPPED pipeline, and only when the Kafka rate can be read.</summary>
        public ApiResult ResetOffset(string id) =>
            store.Answer(id, p =>
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

        /// <summary>Start Pipeline: the pipeline must exist, then the body be valid, then its status allow a start.</summary>
        private ApiResult Start(string id, string body) => store.Answer(id, p =>
        {
            if (JsonBody.TryRead<StartBody>(body) is not { ExecutionMode: 0 or 1, KafkaRate: not null } start)
            {
                return ApiResult.InvalidJson;
            }

            if (p.Status is not (PlatformStatus.Published or PlatformStatus.Stopped or PlatformStatus.Paused))
            {
                return ApiResult.Error(61165, $"Stream processing job with status [{p.Status}] cannot be started.");
            }

            p.ExecutionMode = start.ExecutionMode.Value; // a PAUSED pipeline resumes; the others start afresh
            return transitions.Start(p, () => store.SystemPipelinesRunning(PipelineStore.ChannelOf(p)));
        });

        /// <summary>Save Pipeline: the body's fields over the saved design; the id "null" creates a pipeline.</summary>
        private ApiResult Save(string id, string body)
        {
            if (id == "null")
            {
                var (created, refusal) = StoredDefinition.Apply(null, body);
                return created is null ? refusal! : ApiResult.Ok(store.Create(created).PipelineId);
            }
            return store.Answer(id, p =>
            {
                var (saved, refusal) = StoredDefinition.Apply(p.Saved, body);
                if (saved is null)
                {
                    return refusal!;
                }

                p.Saved = saved;
                p.Name = saved.Name; // the listing shows the saved name; its version stays the released one
                return ApiResult.Ok(p.Id);
            });
        }

        /// <summary>Release Pipeline: the saved design goes online; the pipeline is PUBLISHED until started again.</summary>
        private static ApiResult Release(StoredPipeline pipeline)
        {
            pipeline.Released = pipeline.Saved;
            pipeline.Version = pipeline.Saved!.Version;
            pipeline.TemplateType = pipeline.Saved.TemplateType;
            pipeline.Status = PlatformStatus.Published;
            return ApiResult.Ok("");
        }

        /// <summary>Start Pipeline's body: executionMode and kafkaRate are mandatory; resourceConfig is not read.</summary>
        private sealed record StartBody(int? ExecutionMode, double? KafkaRate);
    }
}
