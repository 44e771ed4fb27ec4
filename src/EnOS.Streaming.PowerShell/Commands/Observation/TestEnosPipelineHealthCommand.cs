using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Bulk;
using EnOS.Streaming.Health;

namespace EnOS.Streaming.Commands
{
    /// <summary>After a window: each pipeline's status and, while running, its lag sampled twice -IntervalSec apart.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "EnosPipelineHealth", DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(PipelineHealth))]
    public sealed class TestEnosPipelineHealthCommand : PipelineSetCmdlet
    {
        private readonly Dictionary<HealthVerdict, int> _verdicts = new Dictionary<HealthVerdict, int>();
        private int _errors;

        [Parameter]
        [ValidateRange(1, 3_600)]
        public int IntervalSec { get; set; } = 10;

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void EndProcessing()
        {
            if (Targets.Count == 0)
            {
                return;
            }

            WriteVerbose($"Checking {Targets.Count} pipeline(s): status from the listing, lag sampled twice {IntervalSec} s apart.");
            var check = new PipelineHealthCheck(Client);
            Pump.Run(check.CheckAsync(Targets.Keys, TimeSpan.FromSeconds(IntervalSec), ThrottleLimit,
                health => Pump.Post(() => Report(health)),
                (key, exception) => Pump.Post(() => ReportError(key, exception)),
                StopToken));
            var counts = Enum.GetValues(typeof(HealthVerdict)).Cast<HealthVerdict>()
                .Select(verdict => $"{(_verdicts.TryGetValue(verdict, out var n) ? n : 0)} {verdict}");
            SummaryLine.Write(this, $"Health of {Targets.Count} pipeline(s): {string.Join(", ", counts)}, {_errors} not checked.");
        }

        private void Report(PipelineHealth health)
        {
            _verdicts[health.Verdict] = (_verdicts.TryGetValue(health.Verdict, out var n) ? n : 0) + 1;
            var target = Targets[(health.OrgId!, health.PipelineId)];
            health.Name ??= target.Name;
            WriteVerbose($"{Capitalised(Pipeline.Describe(health.PipelineId, health.Name))}: {health.Status}, lag {Lag(health.LagBefore)} -> {Lag(health.LagAfter)}: {health.Verdict}.");
            WriteObject(health);
        }

        private static string Lag(long? lag) => lag?.ToString(CultureInfo.InvariantCulture) ?? "-";

        private void ReportError((string OrgId, string PipelineId) key, Exception exception)
        {
            _errors++;
            WriteReadFailure(exception, failure => ErrorFor(failure, "check the health of", Targets[key]));
        }
    }
}
