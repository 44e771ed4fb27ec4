using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Bulk;

namespace EnOS.Streaming.Commands
{
    /// <summary>Starts published or stopped pipelines. A running pipeline is left as it is, without error.</summary>
    [Cmdlet(VerbsLifecycle.Start, "EnosPipeline", DefaultParameterSetName = ByObjectSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Pipeline))]
    public sealed class StartEnosPipelineCommand : PipelineActionCmdlet
    {
        [Parameter]
        public SwitchParameter Wait { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ExecutionMode? ExecutionMode { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int KafkaRate { get; set; } = 1000;

        [Parameter]
        public Hashtable? ResourceConfig { get; set; }

        // Each pipeline's mode, read as its input was bound: -WhatIf explains a held pipeline after the input has ended.
        private readonly Dictionary<PipelineTarget, ExecutionMode?> _modes = new Dictionary<PipelineTarget, ExecutionMode?>();

        private protected override ActionWording Wording { get; } = new ActionWording("start", "started", "Starting", "Start", PipelineStatus.Running);

        // -WhatIf reads the listed status and says what the real run would do with it.
        protected override bool Confirm(PipelineTarget target) =>
            ConfirmExplained(target, () => ExplainStart(target), "the real run would send the start action");

        private string ExplainStart(PipelineTarget target)
        {
            var listed = Await(SharedDirectory(Client).FindAsync(target.OrgId, target.PipelineId, StopToken));
            var mode = (_modes[target] ?? listed?.ExecutionMode ?? Streaming.ExecutionMode.Standalone)
                .ToString().ToLowerInvariant();
            return listed == null
                ? "not listed: the service would answer that it does not exist (EnosPipelineNotFound)"
                : listed.Status switch
                {
                    PipelineStatus.Running => "listed RUNNING: already running, nothing to do",
                    PipelineStatus.Paused => $"listed PAUSED: the start action would resume it from where it paused, in {mode} mode",
                    PipelineStatus.Published => $"listed PUBLISHED: would start it in {mode} mode",
                    PipelineStatus.Stopped => $"listed STOPPED: would start it afresh (without old offsets) in {mode} mode",
                    _ => $"listed {listed.StatusText}: the service would refuse a start from that status (EnosPipelineStateConflict)",
                };
        }

        private protected override PipelineAction CreateAction(PipelineTarget target)
        {
            var mode = _modes[target] = ExecutionMode ?? target.Known?.ExecutionMode;
            var request = new StartPipelineRequest
            {
                KafkaRate = KafkaRate,
                ResourceConfig = ResourceConfig == null ? null : ToDictionary(ResourceConfig),
            };
            return async (client, cancellationToken) =>
            {
                // A bare id: start it in the mode the service has for it, not silently standalone.
                request.ExecutionMode = mode
                    ?? (await SharedDirectory(client).FindAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false))?.ExecutionMode
                    ?? Streaming.ExecutionMode.Standalone;
                return await client.StartPipelineAsync(target.OrgId, target.PipelineId, request, cancellationToken).ConfigureAwait(false);
            };
        }

        private protected override ExecutionMode? ModeGiven => ExecutionMode;

        /// <summary>A hashtable (nested ones and arrays included) as plain values the JSON writer knows.</summary>
        private static Dictionary<string, object?> ToDictionary(IDictionary table)
        {
            var result = new Dictionary<string, object?>();
            foreach (DictionaryEntry entry in table)
            {
                result[entry.Key.ToString()!] = ToPlain(entry.Value);
            }

            return result;
        }

        private static object? ToPlain(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
        {
            IDictionary nested => ToDictionary(nested),
            string text => text,
            IEnumerable items => items.Cast<object?>().Select(ToPlain).ToList(),
            var plain => plain,
        };
    }
}
