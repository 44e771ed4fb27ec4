using System.Collections.Generic;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Collects its pipelines (each once), then acts on them as one set, so that one listing a poll
    /// (Wait-EnosPipeline) or one interval (Test-EnosPipelineHealth) serves them all.
    /// </summary>
    public abstract class PipelineSetCmdlet : PipelineTargetCmdlet
    {
        private protected Dictionary<(string OrgId, string PipelineId), PipelineTarget> Targets { get; } =
            new Dictionary<(string OrgId, string PipelineId), PipelineTarget>();

        protected override void ProcessRecord()
        {
            foreach (var target in UsableTargets())
            {
                var key = (target.OrgId, target.PipelineId);
                if (!Targets.ContainsKey(key))
                {
                    Targets.Add(key, target);
                }
            }
        }
    }
}
