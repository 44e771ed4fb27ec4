using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EnOS.Streaming.Commands;
using EnOS.Streaming.Session;

namespace EnOS.Streaming.Errors
{
    /// <summary>
    /// Where failures become PowerShell error records: each kind of failure's stable ErrorId,
    /// category, target, message and advice side by side, so one file answers "what does the user
    /// see when this fails" (docs/errors.md lists the ids).
    /// </summary>
    internal static class EnosErrorRecords
    {
        public const string PipelineNotFound = "EnosPipelineNotFound";
        public const string PipelineStateConflict = "EnosPipelineStateConflict";
        public const string ApiError = "EnosApiError";
        public const string AuthenticationFailed = "EnosAuthenticationFailed";
        public const string NotConnected = "EnosNotConnected";
        public const string TransientFailure = "EnosTransientFailure";
        public const string InvalidResponse = "EnosInvalidResponse";
        public const string InvalidPipelineId = "EnosInvalidPipelineId";
        public const string InvalidArgument = "EnosInvalidArgument";
        public const string UnexpectedError = "EnosUnexpectedError";
        public const string ConfirmationRequired = "EnosConfirmationRequired";
        public const string JournalUnavailable = "EnosJournalUnavailable";
        public const string JournalWrongOrganisation = "EnosJournalWrongOrganisation";
        public const string JournalWrongGateway = "EnosJournalWrongGateway";
        public const string KafkaRateUnavailable = "EnosKafkaRateUnavailable";
        public const string PipelineNameNotUnique = "EnosPipelineNameNotUnique";
        public const string PipelineExists = "EnosPipelineExists";
        public const string InvalidDefinitionFile = "EnosInvalidDefinitionFile";
        public const string ExportFailed = "EnosExportFailed";
        public const string DefinitionMismatch = "EnosDefinitionMismatch";
        public const string DuplicateDefinition = "EnosDuplicateDefinition";
        public const string OrganisationNotFound = "EnosOrganisationNotFound";
        public const string RateLimited = "EnosRateLimited";
        public const string PipelineFailed = "EnosPipelineFailed";
        public const string WaitTimedOut = "EnosWaitTimedOut";
        public const string SystemPipelinesNotRunning = "EnosSystemPipelinesNotRunning";

        private const string CheckPipelineId = "Check the id with Get-EnosPipeline, and that you are connected to the right organisation.";

        /// <summary>A failed action on one pipeline.</summary>
        /// <param name="verb">The action in words: "pause", "resume", "start", "stop", "get the lag of".</param>
        /// <param name="namesOrganisation">The organisation is not the connection's: the message names it, so nobody reads it as the connection's.</param>
        /// <param name="nameHint">For an id no pipeline has: "'wind-line-1' is the name of pl-0001" or "did you mean …?" (<see cref="PipelineNameHint"/>).</param>
        public static ErrorRecord ForPipeline(Exception exception, string verb, string pipelineId, string? name, string orgId, bool namesOrganisation = false,
            string? nameHint = null)
        {
            var pipeline = Pipeline.Describe(pipelineId, name);
            var organisation = $"organisation '{DisplayText.Escape(orgId)}'";
            // "Cannot pause pipeline 'wind-line-1' (pl-0001)[ in organisation 'o2']": each message
            // below names the pipeline here and nowhere else.
            var cannot = $"Cannot {verb} {pipeline}" + (namesOrganisation ? " in " + organisation : string.Empty);
            switch (exception)
            {
                case EnosApiException api when api.Code == EnosErrorCodes.PipelineNotFound:
                    return Record(api, PipelineNotFound, ErrorCategory.ObjectNotFound, pipelineId,
                        $"Cannot {verb} {pipeline}: {organisation} has no such pipeline ({Reference(api)})." + HintSentence(nameHint),
                        HintAdvice(nameHint, pipelineId));

                case EnosApiException api when EnosErrorCodes.IsStateConflict(api.Code):
                    var status = api.ReportedStatus;
                    return Record(api, PipelineStateConflict, ErrorCategory.InvalidOperation, pipelineId,
                        $"{cannot}: its current status is {(status == null ? "not one that allows it" : DisplayText.Escape(status))} ({Reference(api)}).",
                        SeeStatus(pipelineId));

                case PipelineNotListedException notListed:
                    return Record(notListed, PipelineNotFound, ErrorCategory.ObjectNotFound, pipelineId,
                        $"Cannot {verb} {pipeline}: {organisation} does not list it." + HintSentence(nameHint) + " Nothing was sent.",
                        HintAdvice(nameHint, pipelineId));

                case PipelineStateConflictException conflict:
                    return Record(conflict, PipelineStateConflict, ErrorCategory.InvalidOperation, pipelineId,
                        $"{cannot}: its current status is {DisplayText.Escape(conflict.CurrentStatus)}. {DisplayText.Sentence(conflict.Reason)}"
                        + (conflict.Outcome == RequestOutcome.NotSent ? " Nothing was sent." : string.Empty),
                        verb == "resume"
                            ? $"To start it afresh, use Start-EnosPipeline -PipelineId '{pipelineId}'; to see its status, Get-EnosPipeline -PipelineId '{pipelineId}'."
                            : SeeStatus(pipelineId));

                case EnosApiException api when api.IsAuthenticationFailure:
                    return ForAuthentication(api, pipelineId);

                case EnosApiException api when api.Code == EnosErrorCodes.KafkaRateUnavailable:
                    return Record(api, KafkaRateUnavailable, ErrorCategory.ResourceUnavailable, pipelineId,
                        $"Cannot {verb} {pipeline}: the service could not read the Kafka average rate it needs for that ({Reference(api)}). The offset is unchanged.",
                        $"Try again in a few minutes; if it persists, check the pipeline's input topic in the EnOS console.");

                case EnosApiException api:
                    return ForApi(api, cannot, pipelineId);

                default:
                    return ForFailure(exception, cannot, pipelineId, perPipeline: true);
            }
        }

        /// <summary>The service has no such pipeline, or its listing does not have it: what <see cref="ForPipeline"/> reports as EnosPipelineNotFound.</summary>
        public static bool IsNotFound(Exception exception) =>
            exception is PipelineNotListedException || (exception is EnosApiException api && api.Code == EnosErrorCodes.PipelineNotFound);

        /// <summary>A definition that could not be saved or created: its name, or whatever the pipeline's own failure was.</summary>
        /// <param name="creating">New-EnosPipeline: a pipeline with the name is what stops it.</param>
        /// <param name="path">The file the definition was read from, if any.</param>
        public static ErrorRecord ForDefinition(Exception exception, string verb, string? pipelineId, string? name, string orgId, bool creating, string? path = null)
        {
            switch (exception)
            {
                case DefinitionMismatchException gone when gone.SavedName == null:
                    return Record(gone, PipelineNotFound, ErrorCategory.ObjectNotFound, gone.PipelineId,
                        $"Cannot {verb} the definition '{DisplayText.Escape(name)}'{From(path)}: {gone.Message} Nothing was sent.",
                        $"To create it anew (with a new id), pipe the definition to New-EnosPipeline; -CreateMissing creates only definitions without a pipelineId. "
                        + $"If the id was edited, restore it (Get-EnosPipeline -Name '{name}').");

                case DefinitionMismatchException mismatch:
                    return Record(mismatch, DefinitionMismatch, ErrorCategory.InvalidData, mismatch.PipelineId,
                        $"Cannot {verb} the definition '{DisplayText.Escape(name)}'{From(path)}: {mismatch.Message} Nothing was sent.",
                        $"If the definition's pipelineId was edited, restore it; to rename pipeline '{mismatch.PipelineId}' to '{name}' on purpose, add -Force.");

                case PipelineNameException named when named.Matches.Count == 0:
                    return Record(named, PipelineNotFound, ErrorCategory.ObjectNotFound, named.Name,
                        $"Cannot {verb} the definition '{DisplayText.Escape(named.Name)}': {named.Message} Nothing was sent.",
                        $"To create it, add -CreateMissing (or use New-EnosPipeline); to check the name, Get-EnosPipeline -Name '{named.Name}'.");

                case PipelineNameException named when creating:
                    return Record(named, PipelineExists, ErrorCategory.ResourceExists, named.Name,
                        $"Cannot create pipeline '{DisplayText.Escape(named.Name)}': organisation '{DisplayText.Escape(named.OrgId)}' already has a pipeline of that name "
                        + $"({string.Join(", ", named.Matches)}). Nothing was sent.",
                        "To save the definition over it, use Set-EnosPipelineDefinition.");

                case PipelineNameException named:
                    return Record(named, PipelineNameNotUnique, ErrorCategory.InvalidOperation, named.Name,
                        $"Cannot {verb} the definition '{DisplayText.Escape(named.Name)}': {named.Message} Nothing was sent.",
                        "Rename all but one of them, or save to one by id: set the definition's PipelineId and OrgId to that pipeline's.");

                default:
                    return ForPipeline(exception, verb, pipelineId ?? name ?? string.Empty, pipelineId == null ? null : name, orgId);
            }
        }

        /// <summary>Two or more definitions of one pipeline in one run: a stale file beside its renamed successor, most likely.</summary>
        public static ErrorRecord ForDuplicateDefinitions(string pipelineId, IReadOnlyList<PipelineDefinition> definitions)
        {
            var each = definitions.Select(d => d.Path == null ? $"'{DisplayText.Escape(d.Name)}'" : $"'{d.Path}' ('{DisplayText.Escape(d.Name)}')");
            var message = $"{definitions.Count} definitions are of pipeline '{DisplayText.Escape(pipelineId)}': {string.Join(" and ", each)}. {(definitions.Count == 2 ? "Neither" : "None")} was used.";
            return Record(new InvalidDataException(message), DuplicateDefinition, ErrorCategory.InvalidData, pipelineId, message,
                "Keep one definition per pipeline: remove the stale file (Export-EnosPipelineDefinition removes the files of pipelines it did not write).");
        }

        /// <summary>A file Import-EnosPipelineDefinition cannot read as a definition.</summary>
        public static ErrorRecord ForDefinitionFile(Exception exception, string path) =>
            Record(exception, InvalidDefinitionFile, exception is FormatException ? ErrorCategory.InvalidData : ErrorCategory.ReadError, path,
                $"Cannot import '{path}': {(exception is FormatException ? exception.Message : exception.Message.TrimEnd('.') + ".")}",
                "Fix or remove the file; Export-EnosPipelineDefinition writes the form it expects (\"name\", \"pipelineJson\" and the other fields of Get-EnosPipelineDefinition).");

        /// <summary>A definition Export-EnosPipelineDefinition cannot write: a configuration that is not JSON, or the file system.</summary>
        public static ErrorRecord ForExport(Exception exception, string pipeline, string file) =>
            Record(exception, exception is FormatException ? InvalidArgument : ExportFailed,
                exception is FormatException ? ErrorCategory.InvalidData : ErrorCategory.WriteError, file,
                $"Cannot export the definition of {pipeline} to '{file}': {exception.Message}",
                exception is FormatException ? "Fix the definition's PipelineJson: it must be a JSON object." : "Give a -Path in a folder you can write to (and the file, if it is read-only).");

        /// <summary>A stale definition file (see Export-EnosPipelineDefinition) that could not be removed: read-only, or in a folder that is.</summary>
        public static ErrorRecord ForStaleFile(Exception exception, string pipeline, string file) =>
            Record(exception, ExportFailed, ErrorCategory.WriteError, file,
                $"Cannot remove the stale definition file '{file}' of {pipeline}: {exception.Message}",
                "Remove it by hand (it or its folder may be read-only), or keep it on purpose with -KeepStale.");

        /// <summary>A failure not tied to one pipeline's state: transport, bad answers, bad arguments.</summary>
        /// <param name="perPipeline">True when the failure is one pipeline's of a bulk run (the advice differs from Connect's or a listing's).</param>
        public static ErrorRecord ForFailure(Exception exception, string what, object? target, bool perPipeline = false)
        {
            switch (exception)
            {
                case EnosTransportException transport:
                    var (errorId, category, advice) = TransportKind(transport, perPipeline);
                    return Record(transport, errorId, category, target, Clause(what, transport.Reason) + (transport.Detail == null ? string.Empty : " " + transport.Detail),
                        advice);

                case EnosApiException api when api.IsAuthenticationFailure:
                    return ForAuthentication(api);

                case EnosApiException api:
                    return ForApi(api, what, target);

                case ArgumentException argument:
                    return Record(argument, InvalidArgument, ErrorCategory.InvalidArgument, target, Clause(what, argument.Message), null);

                case NotConnectedException notConnected:
                    return Record(notConnected, NotConnected, ErrorCategory.ConnectionError, null, notConnected.Message,
                        "Run Connect-EnosStreaming, or set the ENOS_* environment variables.");

                default:
                    return Record(exception, UnexpectedError, ErrorCategory.NotSpecified, target, Clause(what, exception.Message), null);
            }
        }

        public static ErrorRecord ForAuthentication(EnosApiException exception, string? pipelineId = null)
        {
            // The commonest cause in runbooks: a secret read from a file with Windows line endings (when the ENOS_* variables are in use).
            var environmentProblem = ModuleSession.HasConnection ? null : EnvironmentConnection.CredentialProblem();
            return Record(exception, AuthenticationFailed, ErrorCategory.AuthenticationError, pipelineId,
                $"EnOS did not accept the app key or secret (token service {exception.Code}: \"{DisplayText.Escape(exception.ApiMessage)}\")."
                + (environmentProblem == null ? string.Empty : " " + environmentProblem),
                "Check the app key (the credential's user name) and the app secret (its password) in the EnOS console, "
                + "and that the gateway URL belongs to the same environment.");
        }

        /// <summary>Connect-EnosStreaming: the service does not know the organisation, or the application may not use it (61106).</summary>
        public static ErrorRecord ForOrganisationNotFound(EnosApiException exception, string orgId, string gateway) =>
            Record(exception, OrganisationNotFound, ErrorCategory.ObjectNotFound, orgId,
                $"Cannot connect: the service at {gateway} does not know organisation '{DisplayText.Escape(orgId)}', or the application may not use it "
                + $"(\"{DisplayText.Escape(exception.ApiMessage)}\", {Reference(exception)}). No connection was made.",
                "Check -OrgId against the EnOS console (Organisation ID), and that the application is authorised for Stream Processing there.");

        /// <summary>A command run with no pipeline named, where nobody can be asked for one.</summary>
        public static ErrorRecord ForMissingPipelineIds(string command)
        {
            var problem = $"{command} needs the pipelines to act on, and none was given: pass -PipelineId <id>, or pipe pipelines in.";
            return Record(new ArgumentException(problem), InvalidArgument, ErrorCategory.InvalidArgument, null, problem + " Nothing was sent.",
                $"Pass -PipelineId <id>, or pipe pipelines in: Get-EnosPipeline -Status Running | {command}.");
        }

        /// <summary>
        /// A command that must ask first runs where nobody can answer. The exception is ours (the host's
        /// inside it), so a runbook that logs $_.Exception.Message reads what to do.
        /// </summary>
        public static ErrorRecord ForConfirmationUnavailable(Exception exception, string command, string pipelineId) =>
            Record(new InvalidOperationException($"{command} needs -Force (or -Confirm:$false) to change pipeline '{pipelineId}' in a session that cannot prompt.", exception),
                ConfirmationRequired, ErrorCategory.InvalidOperation, pipelineId,
                $"{command} asks for confirmation before it changes pipeline '{pipelineId}', and this session cannot prompt "
                + "(it is non-interactive): add -Force, or -Confirm:$false, to go ahead without asking. Nothing was sent.",
                $"Add -Force, or -Confirm:$false, to {command} to go ahead without asking.");

        /// <summary>The maintenance journal cannot be opened or read: nothing is sent without it (Get-EnosMaintenanceJournal: <paramref name="onlyReading"/>, which sends nothing anyway).</summary>
        public static ErrorRecord ForJournal(Exception exception, string path, bool onlyReading = false) =>
            Record(exception, JournalUnavailable, ErrorCategory.OpenError, path,
                $"Cannot use the journal '{path}': {exception.Message}" + (onlyReading ? string.Empty : " Nothing was sent."),
                onlyReading
                    ? "Give the path of a journal that Suspend-EnosPipeline -JournalPath wrote; a path with wildcards reads every file it matches."
                    : "Give a -JournalPath in a folder you can write to (and read, for Resume-EnosPipeline).");

        /// <summary>Whether an exception is a journal file that cannot be opened, read or written (<see cref="ForJournal"/>).</summary>
        public static bool IsJournalFailure(Exception exception) =>
            exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException;

        /// <summary>A journal entry of another organisation than the one the way back acts in: not touched.</summary>
        public static ErrorRecord ForJournalWrongOrganisation(JournalEntry entry, string pipeline, string orgId, string path) =>
            Record(new InvalidOperationException($"Journal entry of organisation '{entry.OrgId}', not '{orgId}'."), JournalWrongOrganisation,
                ErrorCategory.InvalidOperation, entry.PipelineId,
                $"Cannot resume {pipeline} from the journal '{path}': it was journaled in organisation '{DisplayText.Escape(entry.OrgId)}', "
                + $"and this command acts in organisation '{DisplayText.Escape(orgId)}'. Nothing was sent for it.",
                $"Connect to organisation '{entry.OrgId}' (Connect-EnosStreaming -OrgId '{entry.OrgId}') and run Resume-EnosPipeline -JournalPath again.");

        /// <summary>A journal entry written through another gateway (another EnOS environment) than the connection's: not touched.</summary>
        public static ErrorRecord ForJournalWrongGateway(JournalEntry entry, string pipeline, string gateway, string path) =>
            Record(new InvalidOperationException($"Journal entry of gateway '{entry.Gateway}', not '{gateway}'."), JournalWrongGateway,
                ErrorCategory.InvalidOperation, entry.PipelineId,
                $"Cannot resume {pipeline} from the journal '{path}': it was journaled through the gateway '{DisplayText.Escape(entry.Gateway)}', "
                + $"and this connection is to '{DisplayText.Escape(gateway)}'. Nothing was sent for it.",
                $"Connect to that gateway (Connect-EnosStreaming -GatewayUrl 'https://{entry.Gateway}' -OrgId '{entry.OrgId}') and run Resume-EnosPipeline -JournalPath again.");

        /// <summary>-Acknowledge names a pipeline the journal does not hold as paused or pausing.</summary>
        public static ErrorRecord ForJournalEntryMissing(string pipelineId, string path) =>
            Record(new ItemNotFoundException($"The journal '{path}' holds no paused entry for '{pipelineId}'."), PipelineNotFound,
                ErrorCategory.ObjectNotFound, pipelineId,
                $"Cannot acknowledge pipeline '{DisplayText.Escape(pipelineId)}': the journal '{path}' holds it neither as paused nor as pausing. Nothing was written for it.",
                $"See what the journal still holds with Get-EnosMaintenanceJournal -Path '{path}'.");

        /// <summary>
        /// A failed state change after an attempt that reached the service and got no answer (then a
        /// refusal of the retry) may have happened all the same: it must not read as "nothing changed".
        /// </summary>
        public static ErrorRecord WithMayHaveChanged(ErrorRecord record, Exception exception, string pastTense)
        {
            // A transport failure without an answer already reads as unknown ("gave up after 3 attempts").
            if (exception is EnosException { ChangedNothing: false } && !(exception is EnosTransportException) && record.ErrorDetails != null
                && record.ErrorDetails.Message.IndexOf("may have been", StringComparison.OrdinalIgnoreCase) < 0)
            {
                // The initializer reads the advice of the record's details before they are replaced.
                record.ErrorDetails = new ErrorDetails(
                    record.ErrorDetails.Message + $" It may have been {pastTense} all the same: an attempt reached the service and no answer to it came back.")
                {
                    RecommendedAction = record.ErrorDetails.RecommendedAction,
                };
            }

            return record;
        }

        public static ErrorRecord ForInvalidPipelineId(string? pipelineId, string problem) =>
            Record(new ArgumentException(problem), InvalidPipelineId, ErrorCategory.InvalidArgument, pipelineId,
                problem + " Nothing was sent for it.",
                "Pass the id as Get-EnosPipeline shows it, e.g. -PipelineId 'abc123'.");

        public static ErrorRecord ForInvalidOrgId(object? target, string problem) =>
            Record(new ArgumentException(problem), InvalidArgument, ErrorCategory.InvalidArgument, target,
                problem + " Nothing was sent.",
                "Pass -OrgId as the EnOS console shows it, or leave it out to use the connection's organisation.");

        /// <param name="isSystem">The id is a system pipeline's, which the listing left out without -IncludeSystem.</param>
        public static ErrorRecord ForMissingPipeline(string pipelineId, string orgId, bool isSystem = false)
        {
            var message = isSystem
                ? $"Pipeline '{DisplayText.Escape(pipelineId)}' is a system pipeline of organisation '{DisplayText.Escape(orgId)}', listed only with -IncludeSystem."
                : $"No pipeline with id '{DisplayText.Escape(pipelineId)}' in organisation '{DisplayText.Escape(orgId)}'.";
            return Record(new ItemNotFoundException(message), PipelineNotFound, ErrorCategory.ObjectNotFound, pipelineId, message,
                isSystem
                    ? $"Add -IncludeSystem: Get-EnosPipeline -PipelineId '{pipelineId}' -IncludeSystem."
                    : "List the pipelines with Get-EnosPipeline to find the id.");
        }

        public static ErrorRecord ForMissingName(string name, string orgId) =>
            Record(new ItemNotFoundException($"No pipeline named '{name}' in organisation '{orgId}'."), PipelineNotFound, ErrorCategory.ObjectNotFound, name,
                $"No pipeline named '{DisplayText.Escape(name)}' in organisation '{DisplayText.Escape(orgId)}'.",
                "Use wildcards (-Name '*part*') or list the pipelines with Get-EnosPipeline.");

        private static string From(string? path) => path == null ? string.Empty : $" from '{path}'";

        private static string HintSentence(string? nameHint) => nameHint == null ? string.Empty : " " + DisplayText.Sentence(nameHint);

        // A name given as an id: say how to pass the id, or how to act by name.
        private static string HintAdvice(string? nameHint, string typed) =>
            nameHint != null && nameHint.StartsWith("'", StringComparison.Ordinal)
                ? $"Pass the pipeline's id, or select it by name: Get-EnosPipeline -Name '{typed}' | <the command>."
                : CheckPipelineId;

        /// <summary>Waiting for a status (Wait-EnosPipeline, -Wait): the listing showed a failed status, so the pipeline will not get to <paramref name="wanted"/> by itself.</summary>
        public static ErrorRecord ForFailedWait(string pipeline, string pipelineId, string status, string wanted) =>
            Record(new InvalidOperationException($"Pipeline '{pipelineId}' is {status}."), PipelineFailed, ErrorCategory.InvalidResult, pipelineId,
                $"{EnosCmdlet.Capitalised(pipeline)} is {status}, not {wanted}: it will not get there by itself.",
                "See why in the EnOS console (the pipeline's run log), fix the cause (a user pipeline needs its message channel's system pipelines running), then start it again.");

        /// <summary>Waiting for a status: still elsewhere when the time was up (<paramref name="status"/> null: never listed during the wait).</summary>
        public static ErrorRecord ForTimedOutWait(string pipeline, string pipelineId, string? status, string wanted, int timeoutSec) =>
            Record(new TimeoutException($"Pipeline '{pipelineId}' is {status ?? "not listed"} after {timeoutSec} s."), WaitTimedOut, ErrorCategory.OperationTimeout, pipelineId,
                status == null
                    ? $"{EnosCmdlet.Capitalised(pipeline)} was not {wanted} within {timeoutSec} s: no listing during the wait showed it."
                    : $"{EnosCmdlet.Capitalised(pipeline)} was still {status} after {timeoutSec} s, not {wanted}.",
                $"Wait longer (Wait-EnosPipeline -PipelineId '{pipelineId}' -Status {wanted} -TimeoutSec {2 * timeoutSec}), or see the pipeline's status with Get-EnosPipeline and its run log in the EnOS console.");

        /// <summary>A start's user pipeline not sent: system pipelines of the same command did not get to RUNNING (and which channel each pipeline uses, the listing does not say).</summary>
        public static ErrorRecord ForSystemPipelinesNotRunning(string pipeline, string pipelineId, string verb, IReadOnlyList<string> system) =>
            Record(new InvalidOperationException($"System pipeline(s) {string.Join(", ", system)} are not RUNNING."), SystemPipelinesNotRunning, ErrorCategory.ResourceUnavailable, pipelineId,
                $"Did not {verb} {pipeline}: the system pipeline(s) {DisplayText.Escape(string.Join(", ", system))} of this command did not get to RUNNING, "
                + "and a user pipeline starts only while its message channel's system pipelines run. Nothing was sent for it.",
                "Get the system pipelines running (Get-EnosPipeline -IncludeSystem shows them; the EnOS console why they stopped), then run the command again for this pipeline.");

        private static string SeeStatus(string pipelineId) => $"See the pipeline's status with Get-EnosPipeline -PipelineId '{pipelineId}'.";

        private static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object? target, string message, string? recommendedAction) =>
            new ErrorRecord(exception, errorId, category, target) { ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction } };

        /// <summary>A service code without a record of its own: the service's words, a category and advice by code.</summary>
        private static ErrorRecord ForApi(EnosApiException api, string what, object? target)
        {
            var (category, advice) = api.Code switch
            {
                EnosErrorCodes.NoPrivilege => (ErrorCategory.PermissionDenied,
                    "Check -OrgId, and that the application is authorised for Stream Processing in that organisation."),
                EnosErrorCodes.AnotherUserStarting => (ErrorCategory.ResourceBusy, "Someone else is starting a pipeline in this organisation; try again in a minute."),
                EnosErrorCodes.InvalidConfiguration => (ErrorCategory.InvalidArgument,
                    "The service refused the configuration: check the definition's PipelineJson (the pipeline's configuration as Get-EnosPipelineDefinition shows it)."),
                EnosErrorCodes.MissingParameter => (ErrorCategory.InvalidArgument, (string?)null),
                EnosErrorCodes.AccessTokenExpired => (ErrorCategory.AuthenticationError, null),
                _ => (ErrorCategory.NotSpecified, null),
            };
            return Record(api, ApiError, category, target, $"{what}: \"{DisplayText.Escape(api.ApiMessage)}\" ({Reference(api)}).", advice);
        }

        /// <summary>A transport failure's id, category and advice: a dead gateway address and a bad answer are about the URL, the rest about trying again.</summary>
        private static (string ErrorId, ErrorCategory Category, string Advice) TransportKind(EnosTransportException transport, bool perPipeline) => transport switch
        {
            { Failure: TransportFailure.RateLimited } => (RateLimited, ErrorCategory.LimitsExceeded,
                "The gateway's rate-limit headers asked for a longer wait than -TimeoutSec allows. Run the command again after that wait, "
                + "or raise -TimeoutSec on Connect-EnosStreaming to wait it out; ask who runs the gateway whether that limit is meant."),
            { SuggestedGatewayUrl: string url } => (InvalidResponse, ErrorCategory.InvalidResult,
                $"If '{url}' is your EnOS API gateway, connect to it: Connect-EnosStreaming -GatewayUrl '{url}'. Otherwise ask who runs the gateway why it redirects."),
            { Failure: TransportFailure.ConnectionRefused or TransportFailure.NameNotResolved or TransportFailure.TlsHandshake } => (TransientFailure,
                ErrorCategory.ConnectionError,
                "Check the gateway URL given to Connect-EnosStreaming (or ENOS_GATEWAY_URL): its scheme (https://), host and port, "
                + "and that this machine can reach it (proxy, firewall)."),
            { Failure: TransportFailure.InvalidResponse } => (InvalidResponse, ErrorCategory.InvalidResult,
                "Check that -GatewayUrl is the EnOS API gateway and not a web console or a proxy page; if it is, the gateway is failing: try again later."),
            _ => (TransientFailure, CategoryOf(transport), perPipeline
                ? "The gateway or the network failed after every retry. Run the command again later for the pipelines that failed "
                  + "(they are the error records' TargetObject), or raise -MaxRetries and -TimeoutSec on Connect-EnosStreaming."
                : "The gateway or the network failed after every retry. Try again later, or raise -MaxRetries and -TimeoutSec on Connect-EnosStreaming."),
        };

        private static ErrorCategory CategoryOf(EnosTransportException transport) => transport switch
        {
            { Failure: TransportFailure.TimedOut } => ErrorCategory.OperationTimeout,
            { Failure: TransportFailure.HttpStatus, StatusCode: (System.Net.HttpStatusCode)429 or System.Net.HttpStatusCode.ServiceUnavailable } => ErrorCategory.ResourceUnavailable,
            _ => ErrorCategory.ConnectionError,
        };

        /// <summary>What went wrong, as a clause without the operation, for a line that names the operation itself.</summary>
        public static string ReasonOf(Exception exception) =>
            DisplayText.Clause(exception is EnosTransportException transport ? transport.Reason : exception.Message);

        /// <summary>"Cannot pause pipeline 'x' (pl-1): the gateway answered ….": the subject once, then the failure closed by one full stop.</summary>
        private static string Clause(string what, string reason)
        {
            var clause = DisplayText.Clause(reason);
            return $"{what}: {clause}" + (clause.EndsWith(".", StringComparison.Ordinal) || clause.EndsWith("…", StringComparison.Ordinal) ? string.Empty : ".");
        }

        /// <summary>"EnOS 61152, request id …": what support needs to find the call.</summary>
        private static string Reference(EnosApiException api) =>
            api.RequestId == null ? $"EnOS {api.Code}" : $"EnOS {api.Code}, request id {api.RequestId}";
    }
}
