using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>A cmdlet that works on pipelines given by id or as objects, in the organisation of -OrgId, the object, or the connection.</summary>
    public abstract partial class PipelineTargetCmdlet : EnosCmdlet
    {
        protected const string ByIdSet = "PipelineId";
        protected const string ByObjectSet = "InputObject";

        [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(Completion.PipelineIdCompleter))]
        public string[] PipelineId { get; set; } = Array.Empty<string>();

        // Not Mandatory: PowerShell would prompt for an "InputObject" nobody can type (PromptForPipelineIds
        // asks for ids instead). The set is the default so that a piped pipeline binds whole, name included.
        [Parameter(ParameterSetName = ByObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Pipeline InputObject { get; set; } = null!;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? OrgId { get; set; }

        /// <summary>The current input record's pipelines fit to send; each unusable one gets its error record here.</summary>
        internal IEnumerable<PipelineTarget> UsableTargets()
        {
            foreach (var target in CurrentTargets())
            {
                var idProblem = PipelineIds.Problem(target.PipelineId) ?? (target.Known == null ? WildcardProblem(target.PipelineId) : null);
                var orgProblem = PipelineIds.OrgIdProblem(target.OrgId);
                if (idProblem != null || orgProblem != null)
                {
                    Reject(target, idProblem != null
                        ? EnosErrorRecords.ForInvalidPipelineId(target.PipelineId, idProblem)
                        : EnosErrorRecords.ForInvalidOrgId(target.PipelineId, orgProblem!));
                    continue;
                }

                yield return target;
            }
        }

        /// <summary>Ids are taken literally, so 'pl-000*' would fail as "not found" (or match a real id): say how to expand it.</summary>
        private string? WildcardProblem(string pipelineId) =>
            WildcardPattern.ContainsWildcardCharacters(pipelineId)
                ? $"The id '{pipelineId}' contains wildcard characters, which {MyInvocation.MyCommand.Name} does not expand. "
                  + $"To act on the pipelines it matches, pipe them in: Get-EnosPipeline -PipelineId '{pipelineId}' | {MyInvocation.MyCommand.Name}."
                : null;

        /// <summary>The record for a failed action on one pipeline, naming its organisation when that is not the connection's.</summary>
        private protected ErrorRecord ErrorFor(Exception exception, string verb, PipelineTarget target, string? nameHint = null) =>
            EnosErrorRecords.ForPipeline(exception, verb, target.PipelineId, target.Name, target.OrgId,
                namesOrganisation: !string.Equals(target.OrgId, Connection.OrgId, StringComparison.Ordinal), nameHint);

        /// <summary>
        /// Starts a read of each of the input record's pipelines (up to <paramref name="throttleLimit"/> at a time),
        /// and writes each result or failure as it comes.
        /// </summary>
        private protected void StartReads<T>(int throttleLimit, Func<PipelineTarget, StreamingClient, CancellationToken, Task<T>> read,
            Action<PipelineTarget, T> write, Func<PipelineTarget, Exception, ErrorRecord> errorFor)
        {
            foreach (var target in UsableTargets())
            {
                var client = Client;
                Pump.Start(cancellationToken => read(target, client, cancellationToken), finished =>
                {
                    if (finished.IsFaulted)
                    {
                        WriteReadFailure(finished.Exception!.GetBaseException(), exception => errorFor(target, exception));
                    }
                    else if (!finished.IsCanceled)
                    {
                        write(target, finished.Result);
                    }
                }, throttleLimit);
            }

            Pump.HandleReady();
        }

        /// <summary>A read's error record; refused credentials end the command instead, as no further read can succeed.</summary>
        private protected void WriteReadFailure(Exception exception, Func<Exception, ErrorRecord> errorFor)
        {
            if (exception is EnosApiException api && api.IsAuthenticationFailure)
            {
                ThrowTerminatingError(EnosErrorRecords.ForAuthentication(api));
            }

            WriteError(errorFor(exception));
        }

        /// <summary>Uses the maintenance journal at <paramref name="path"/>: one that cannot be opened or read ends the command, as nothing is sent without it.</summary>
        private protected void UseJournal(string path, Action use, bool onlyReading = false)
        {
            try
            {
                use();
            }
            catch (Exception exception) when (EnosErrorRecords.IsJournalFailure(exception))
            {
                ThrowTerminatingError(EnosErrorRecords.ForJournal(exception, path, onlyReading));
            }
        }

        /// <summary>Reads the journal at <paramref name="path"/>, with a warning for each line it could not use.</summary>
        private protected JournalReading ReadJournal(string path)
        {
            var reading = MaintenanceJournal.Read(path);
            foreach (var problem in reading.Problems)
            {
                WriteWarning($"Journal '{path}': {problem}");
            }

            return reading;
        }

        /// <summary>Writes the error of a target refused before anything is sent for it (the bulk commands count it).</summary>
        private protected virtual void Reject(PipelineTarget target, ErrorRecord record) => WriteError(record);

        /// <summary>True once the ids came from the prompt of a run with no arguments.</summary>
        private protected bool IdsPrompted { get; private set; }

        protected override void BeginProcessing()
        {
            if (ParameterSetName == ByObjectSet && !MyInvocation.ExpectingInput && InputObject == null)
            {
                PromptForPipelineIds();
            }
        }

        /// <summary>Asks for the ids as PowerShell asks for a mandatory parameter; where nobody can answer, ends saying what to pass.</summary>
        private void PromptForPipelineIds()
        {
            string[]? ids = null;
            try
            {
                var answer = Host?.UI is { } ui ? Ask(ui, ByIdSet, typeof(string[])) : null;
                ids = answer == null ? null : LanguagePrimitives.ConvertTo<string[]>(answer);
            }
            catch (Exception exception) when (CannotPrompt(exception))
            {
                // The host cannot prompt.
            }

            if (ids == null || ids.Length == 0)
            {
                ThrowTerminatingError(EnosErrorRecords.ForMissingPipelineIds(MyInvocation.MyCommand.Name));
            }

            PipelineId = ids!;
            IdsPrompted = true;
        }

        /// <summary>The pipelines the current input record names (Resume's -JournalPath names its own).</summary>
        private protected virtual IEnumerable<PipelineTarget> CurrentTargets()
        {
            if (ParameterSetName == ByObjectSet && !IdsPrompted)
            {
                yield return new PipelineTarget(InputObject.PipelineId, OrgId ?? InputObject.OrgId ?? Connection.OrgId, InputObject);
                yield break;
            }

            foreach (var id in PipelineId ?? Array.Empty<string>())
            {
                yield return new PipelineTarget(id, OrgId ?? Connection.OrgId, null);
            }
        }
    }
}
