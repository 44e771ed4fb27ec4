using System.Globalization;
namespace EnOS.Streaming.Emulator.Store
{
    /// <summary>
    /// All pipelines of the one organisation. A single lock guards everything: each operation is a
    /// few dictionary/list steps, far cheaper than the HTTP work around it, even at 64 concurrent
    /// calls. Ids are kept in list order so a page of a 20,000-pipeline org is a plain slice.
    /// </summary>
    public sealed class PipelineStore
    {
        public const string SeedUpdateTime = "2026-11-20 08:15:00";
        public const string SeedAlarmConfig = "{\"alarmMode\":1}";

        private readonly Lock _lock = new();
        private readonly TimeProvider _clock;
        private readonly Dictionary<string, StoredPipeline> _byId = new(StringComparer.Ordinal);
        private readonly List<string> _ordinaryIds = [];
        private readonly List<string> _systemIds = [];

        public PipelineStore(string orgId, int pipelines, int systemPipelines, TimeProvider clock)
        {
            _clock = clock;
            OrgId = orgId;
            for (var i = 1; i <= pipelines; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"pl-{i:D4}");
                Add(new StoredPipeline
                {
                    Id = id,
                    Name = string.Create(CultureInfo.InvariantCulture, $"wind-line-{i}"),
                    Status = (i % 5) switch { 1 or 2 => PlatformStatus.Running, 3 => PlatformStatus.Paused, 4 => PlatformStatus.Stopped, _ => PlatformStatus.Published },
                    IsSystem = false,
                    ExecutionMode = i % 2,
                    TemplateType = i % 3,
                    Version = string.Create(CultureInfo.InvariantCulture, $"1.{i % 4}"),
                });
            }
            for (var i = 1; i <= systemPipelines; i++)
            {
                Add(new StoredPipeline
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"sys-{i:D4}"),
                    Name = string.Create(CultureInfo.InvariantCulture, $"system-line-{i}"),
                    Status = PlatformStatus.Running,
                    IsSystem = true,
                    ExecutionMode = 1,
                    TemplateType = 1,
                    Version = "1.0",
                });
            }
        }

        public string OrgId { get; }

        /// <summary>One page of the list: ordinary pipelines in id order, then (if asked) the system ones.</summary>
        public (int Count, IReadOnlyList<PipelineView> Page) List(bool includeSystem, int offset, int size)
        {
            lock (_lock)
            {
                var count = _ordinaryIds.Count + (includeSystem ? _systemIds.Count : 0);
                var page = new List<PipelineView>(Math.Clamp(count - offset, 0, size));
                for (var i = offset; i < count && page.Count < size; i++)
                {
                    var id = i < _ordinaryIds.Count ? _ordinaryIds[i] : _systemIds[i - _ordinaryIds.Count];
                    page.Add(Settled(_byId[id]).View(OrgId));
                }
                return (count, page);
            }
        }

        public IReadOnlyList<PipelineView> All()
        {
            lock (_lock)
            {
                return [.. _ordinaryIds.Concat(_systemIds).Select(id => Settled(_byId[id]).View(OrgId))];
            }
        }

        public PipelineView? Find(string id)
        {
            lock (_lock)
            {
                return _byId.TryGetValue(id, out var p) ? Settled(p).View(OrgId) : null;
            }
        }

        /// <summary>
        /// Runs <paramref name="operation"/> on the pipeline (null when it does not exist) under the
        /// store lock, so a check of the status and the change that follows are one atomic step.
        /// </summary>
        public T Update<T>(string id, Func<StoredPipeline?, T> operation)
        {
            lock (_lock)
            {
                return operation(_byId.TryGetValue(id, out var p) ? Settled(p) : null);
            }
        }

        /// <summary>Forces a status, creating the pipeline if it is missing (admin endpoint).</summary>
        public PipelineView ForceStatus(string id, string status)
        {
            lock (_lock)
            {
                if (!_byId.TryGetValue(id, out var pipeline))
                {
                    // Ids that look like system ones behave like them, so tests can add either kind.
                    pipeline = new StoredPipeline
                    {
                        Id = id,
                        Name = id,
                        Status = status,
                        IsSystem = id.StartsWith("sys-", StringComparison.Ordinal),
                    };
                    Add(pipeline);
                }
                pipeline.Status = status;
                return pipeline.View(OrgId);
            }
        }

        /// <summary>Renames a pipeline (admin endpoint); null when it does not exist.</summary>
        public PipelineView? Rename(string id, string name) => Change(id, p =>
        {
            p.Name = name;
            p.Saved = p.Saved! with { Name = name };
        });

        /// <summary>Sets the status of every ordinary pipeline (admin endpoint; the Bench starts each run all RUNNING).</summary>
        public int ForceStatusOfAll(string status)
        {
            lock (_lock)
            {
                foreach (var id in _ordinaryIds)
                {
                    _byId[id].Status = status;
                }

                return _ordinaryIds.Count;
            }
        }

        /// <summary>Makes Reset Offset of a pipeline answer 61168, or not (admin endpoint); null when it does not exist.</summary>
        public PipelineView? SetKafkaRateAvailable(string id, bool available) => Change(id, p => p.KafkaRateAvailable = available);

        private PipelineView? Change(string id, Action<StoredPipeline> change) => Update(id, p =>
        {
            if (p is not null)
            {
                change(p);
            }

            return p?.View(OrgId);
        });

        public bool Remove(string id)
        {
            lock (_lock)
            {
                if (!_byId.Remove(id, out var pipeline))
                {
                    return false;
                }

                var ids = pipeline.IsSystem ? _systemIds : _ordinaryIds;
                ids.RemoveAt(ids.BinarySearch(id, PipelineIdOrder.Instance));
                return true;
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
                var n = _byId.Count + 1;
                string id;
                while (_byId.ContainsKey(id = string.Create(CultureInfo.InvariantCulture, $"pl-{n:D4}")))
                {
                    n++;
                }

                Add(new StoredPipeline
                {
                    Id = id,
                    Name = definition.Name,
                    Status = PlatformStatus.Stopped,
                    IsSystem = false,
                    TemplateType = definition.TemplateType,
                    Version = definition.Version,
                    Saved = definition with { PipelineId = id },
                });
                return _byId[id].View(OrgId);
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
                return _systemIds.Select(id => Settled(_byId[id]))
                    .Where(p => ChannelOf(p) == messageChannel)
                    .All(p => p.Status == PlatformStatus.Running);
            }
        }

        public static int ChannelOf(StoredPipeline pipeline) => (pipeline.Released ?? pipeline.Saved)?.MessageChannel ?? 0;

        /// <summary>Sets a pipeline's own lag trend (null: the emulator's), counting calls afresh (admin endpoint).</summary>
        public PipelineView? SetLagTrend(string id, LagTrend? trend) => Change(id, p =>
        {
            p.LagTrend = trend;
            p.LagCalls = 0;
        });

        private StoredPipeline Settled(StoredPipeline pipeline) => pipeline.Settle(_clock.GetUtcNow());

        /// <summary>Must be called under the lock (or from the constructor).</summary>
        private void Add(StoredPipeline pipeline)
        {
            // Seeded and admin-made pipelines start with a design, released as saved.
            if (pipeline.Saved is null)
            {
                pipeline.Saved = StoredDefinition.Seed(pipeline.Id, pipeline.Name, pipeline.Version, pipeline.TemplateType);
                pipeline.Released = pipeline.Saved;
            }
            _byId.Add(pipeline.Id, pipeline);
            var ids = pipeline.IsSystem ? _systemIds : _ordinaryIds;
            // Seeding appends in order (cheap); later additions are inserted at their place.
            if (ids.Count == 0 || PipelineIdOrder.Instance.Compare(ids[^1], pipeline.Id) < 0)
            {
                ids.Add(pipeline.Id);
            }
            else
            {
                ids.Insert(~ids.BinarySearch(pipeline.Id, PipelineIdOrder.Instance), pipeline.Id);
            }
        }
    }
}
