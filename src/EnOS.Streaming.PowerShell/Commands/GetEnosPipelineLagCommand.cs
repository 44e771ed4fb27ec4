using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>Gets the Kafka offset and lag of each partition of running pipelines.</summary>
    [Cmdlet(VerbsCommon.Get, "EnosPipelineLag", DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(PipelinePartitionLag))]
    public sealed class GetEnosPipelineLagCommand : PipelineTargetCmdlet
    {
        private const string Verb = "get the offset and lag of";

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void ProcessRecord()
        {
            foreach (var target in UsableTargets())
            {
                var known = target.Known;
                if (known != null && known.Status != PipelineStatus.Running && known.Status != PipelineStatus.Unknown)
                {
                    // The piped object says it is not running: the service has no lag to give.
                    WriteError(ErrorFor(
                        new PipelineStateConflictException(target.PipelineId, known.StatusText ?? PipelineStatusText.ToApiText(known.Status),
                            "offset and lag exist only while a pipeline runs."),
                        Verb, target));
                    continue;
                }

                var client = Client;
                var directory = SharedDirectory(client);
                Pump.Start(
                    cancellationToken => ReadAsync(client, directory, target, cancellationToken),
                    finished => Complete(target, finished),
                    ThrottleLimit);
            }

            Pump.HandleReady();
        }

        protected override void EndProcessing() => Pump.WaitForAll();

        private static async Task<IReadOnlyList<PipelinePartitionLag>> ReadAsync(StreamingClient client, PipelineDirectory directory, PipelineTarget target,
            CancellationToken cancellationToken)
        {
            // A bare id has no name; the details have it, and are read alongside the lag.
            var name = target.Name;
            var details = name == null ? NameOfAsync(client, target, cancellationToken) : Task.FromResult<string?>(name);
            IReadOnlyList<PipelinePartitionLag> partitions;
            try
            {
                partitions = await client.GetOffsetLagAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosApiException refusal) when (refusal.Code != EnosErrorCodes.PipelineNotFound && !refusal.IsAuthenticationFailure)
            {
                // What the service answers for a pipeline that is not running is undocumented (Offset
                // Lag lists only 61108 and 99000): when the answer does not say, the listing does.
                var listed = await ListedStatusAsync(directory, target, cancellationToken).ConfigureAwait(false);
                if (listed == null || listed.Status == PipelineStatus.Running)
                {
                    throw;
                }

                throw new PipelineStateConflictException(target.PipelineId, listed.StatusText ?? PipelineStatusText.ToApiText(listed.Status),
                    "offset and lag exist only while a pipeline runs.", refusal);
            }

            name = await details.ConfigureAwait(false);
            foreach (var partition in partitions)
            {
                partition.Name = name;
            }

            return partitions;
        }

        private static async Task<Pipeline?> ListedStatusAsync(PipelineDirectory directory, PipelineTarget target, CancellationToken cancellationToken)
        {
            try
            {
                return await directory.FindAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false);
            }
            catch (EnosException)
            {
                // The listing is a second opinion: without it the service's own refusal is reported.
                return null;
            }
        }

        private static async Task<string?> NameOfAsync(StreamingClient client, PipelineTarget target, CancellationToken cancellationToken)
        {
            try
            {
                return (await client.GetPipelineAsync(target.OrgId, target.PipelineId, cancellationToken).ConfigureAwait(false)).Name;
            }
            catch (EnosException)
            {
                // The name is a courtesy: the lag call reports whatever is really wrong.
                return null;
            }
        }

        private void Complete(PipelineTarget target, Task<IReadOnlyList<PipelinePartitionLag>> finished)
        {
            if (finished.IsFaulted && finished.Exception!.GetBaseException() is EnosApiException api && api.IsAuthenticationFailure)
            {
                // The credentials stopped working: no further pipeline can succeed.
                ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api));
            }
            else if (finished.IsFaulted)
            {
                WriteError(ErrorFor(finished.Exception!.GetBaseException(), Verb, target));
            }
            else if (!finished.IsCanceled)
            {
                WriteObject(finished.Result, enumerateCollection: true);
            }
        }
    }
}
