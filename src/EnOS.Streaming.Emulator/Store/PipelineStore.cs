using System.Globalization;

namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>
    /// All pipelines of the one organisation. A single lock guards everything: each operation is a
    /// few lookups, far cheaper than the HTTP work around it, even at 64 concurrent calls. Pipelines
    /// are kept in list order so a page of a 20,000-pipeline org is a plain slice.
    /// </summary>
    public sealed class PipelineStore
    {
        private readonly Lock _lock = new();
        private readonly TimeProvider _clock;
        private readonly SortedList<string, StoredPipeline> _ordinary = new(PipelineIdOrder.Instance);
        private readonly SortedList<string, StoredPipeline> _system = new(PipelineIdOrder.Instance);

        public PipelineStore(EmulatorOptions options, TimeProvider clock)
        {
            _clock = clock;
            OrgId = options.OrgId;
            for (var i = 1; i <= options.Pipelines; i++)
            {
                Add(new StoredPipeline
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"pl-{i:D4}"),
                    Name = string.Create(CultureInfo.InvariantCulture, $"wind-line-{i}"),
                    Status = (i % 5) switch { 1 or 2 => PlatformStatus.Running, 3 => PlatformStatus.Paused, 4 => PlatformStatus.Stopped, _ => PlatformStatus.Published },
                    ExecutionMode = i % 2,
                    TemplateType = i % 3,
                    Version = string.Create(CultureInfo.InvariantCulture, $"1.{i % 4}"),
                });
            }
            for (var i = 1; i <= options.SystemPipelines; i++)
            {
                Add(new StoredPipeline
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"sys-{i:D4}"),
                    Name = string.Create(CultureInfo.InvariantCulture, $"system-line-{i}"),
                    Status = PlatformStatus.Running,
                    IsSystem = true,
                    ExecutionMode = 1,
                    TemplateType = 1,
                });
            }
        }

        public string OrgId { get; }

        /// <summary>One page of the list: ordinary pipelines in id order, then (if asked) the system ones.</summary>
        public (int Count, IReadOnlyList<PipelineView> Page) List(bool includeSystem, int offset, int size)
        {
            lock (_lock)
            {
                var count = _ordinary.Count + (includeSystem ? _system.Count : 0);
                var page = new List<PipelineView>(Math.Clamp(count - offset, 0, size));
                for (var i = offset; i < count && page.Count < size; i++)
                {
                    var pipeline = i < _ordinary.Count ? _ordinary.GetValueAtIndex(i) : _system.GetValueAtIndex(i - _ordinary.Count);
                    page.Add(Settled(pipeline).View(OrgId));
                }
                return (count, page);
            }
        }

        public IReadOnlyList<PipelineView> All()
        {
            lock (_lock)
            {
                return [.. _ordinary.Values.Concat(_system.Values).Select(p => Settled(p).View(OrgId))];
            }
        }

        public PipelineView? Find(string id) => Update(id, p => p?.View(OrgId));

        /// <summary>
        /// Runs <paramref name="operation"/> on the pipeline (null when it does not exist) under the
        /// store lock, so a check of the status and the change that follows are one atomic step.
        /// </summary>
        public T Update<T>(string id, Func<StoredPipeline?, T> operation)
        {
            lock (_lock)
            {
                return operation(Get(id) is { } pipeline ? Settled(pipeline) : null);
            }
        }

        /// <summary>Runs an API rule on the pipeline under the store lock (see <see cref="Update{T}"/>); 61108 when there is none.</summary>
        public ApiResult Answer(string id, Func<StoredPipeline, ApiResult> rule) =>
            Update(id, pipeline => pipeline is null ? ApiResult.NoSuchPipeline : rule(pipeline));

        /// <summary>Forces a status, creating the pipeline if it is missing (admin endpoint).</summary>
        public PipelineView ForceStatus(string id, string status)
        {
            lock (_lock)
            {
                // Ids that look like system ones behave like them, so tests can add either kind.
                var pipeline = Get(id) ?? Add(new StoredPipeline
                {
                    Id = id,
                    Name = id,
                    Status = status,
                    IsSystem = id.StartsWith("sys-", StringComparison.Ordinal),
                });
                pipeline.Status = status;
                return pipeline.View(OrgId);
            }
        }

        /// <summary>Sets the status of every ordinary pipeline (admin endpoint; the Bench starts each run all RUNNING).</summary>
        public int ForceStatusOfAll(string status)
        {
            lock (_lock)
            {
                foreach (var pipeline in _ordinary.Values)
                {
                    pipeline.Status = status;
                }

                return _ordinary.Count;
            }
        }

        public bool Remove(string id)
        {
            lock (_lock)
            {
                return _ordinary.Remove(id) || _system.Remove(id);
            }
        }

        /// <summary>
        /// Save Pipeline with the id "null": a new pipeline from the definition, STOPPED (saved, not yet
        /// released: a release then a start bring it online). Its id follows the seeded ones.
        /// </summary>
        public PipelineView Create(StoredDefinition definition)
        {
            lock (_lock)
            {
                var n = _ordinary.Count + _system.Count + 1;
                string id;
                while (Get(id = string.Create(CultureInfo.InvariantCulture, $"pl-{n:D4}")) is not null)
                {
                    n++;
                }

                return Add(new StoredPipeline
                {
                    Id = id,
                    Name = definition.Name,
                    Status = PlatformStatus.Stopped,
                    TemplateType = definition.TemplateType,
                    Version = definition.Version,
                    Saved = definition with { PipelineId = id },
                }).View(OrgId);
            }
        }

        /// <summary>
        /// Whether every system pipeline of a message channel is RUNNING (true when it has none):
        /// what a user pipeline of that channel needs to start. Under the lock (it is reentrant).
        /// </summary>
        public bool SystemPipelinesRunning(int messageChannel)
        {
            lock (_lock)
            {
                return _system.Values.Select(Settled)
                    .Where(p => ChannelOf(p) == messageChannel)
                    .All(p => p.Status == PlatformStatus.Running);
            }
        }

        public static int ChannelOf(StoredPipeline pipeline) => (pipeline.Released ?? pipeline.Saved)?.MessageChannel ?? 0;

        /// <summary>An admin change of one pipeline: its view after, or null when it does not exist.</summary>
        public PipelineView? Change(string id, Action<StoredPipeline> change) => Update(id, p =>
        {
            if (p is not null)
            {
                change(p);
            }

            return p?.View(OrgId);
        });

        private StoredPipeline Settled(StoredPipeline pipeline) => pipeline.Settle(_clock.GetUtcNow());

        // Get and Add: under the lock (or from the constructor).
        private StoredPipeline? Get(string id) =>
            _ordinary.TryGetValue(id, out var pipeline) || _system.TryGetValue(id, out pipeline) ? pipeline : null;

        private StoredPipeline Add(StoredPipeline pipeline)
        {
            // Seeded and admin-made pipelines start with a design, released as saved.
            if (pipeline.Saved is null)
            {
                pipeline.Saved = StoredDefinition.Seed(pipeline.Id, pipeline.Name, pipeline.Version, pipeline.TemplateType);
                pipeline.Released = pipeline.Saved;
            }
            (pipeline.IsSystem ? _system : _ordinary).Add(pipeline.Id, pipeline);
            return pipeline;
        }
    }
}
