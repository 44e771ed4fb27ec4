using System;
using System.Management.Automation;
using EnOS.Streaming.Session;

namespace EnOS.Streaming.Errors
{
    /// <summary>
    /// Where failures become PowerShell error records: one stable ErrorId and a fitting category
    /// per kind of failure, the pipeline id as the target, and a recommended action.
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

        /// <summary>A failed action on one pipeline.</summary>
        /// <param name="verb">The action in words: "pause", "resume", "start", "stop", "get the lag of".</param>
        public static ErrorRecord ForPipeline(Exception exception, string verb, string pipelineId, string? name, string orgId)
        {
            var pipeline = Pipeline.Describe(pipelineId, name);
            switch (exception)
            {
                case EnosApiException api when api.Code == EnosErrorCodes.PipelineNotFound:
                    return Record(api, PipelineNotFound, ErrorCategory.ObjectNotFound, pipelineId,
                        $"Cannot {verb} {pipeline}: no such pipeline in organisation '{orgId}' ({Reference(api)}).",
                        "Check the id with Get-EnosPipeline, and that you are connected to the right organisation.");

                case EnosApiException api when EnosErrorCodes.IsStateConflict(api.Code):
                    var status = api.ReportedStatus;
                    return Record(api, PipelineStateConflict, ErrorCategory.InvalidOperation, pipelineId,
                        $"Cannot {verb} {pipeline}: its current status is {status ?? "not one that allows it"} ({Reference(api)}).",
                        $"See the pipeline's status with Get-EnosPipeline -PipelineId '{pipelineId}'.");

                case PipelineStateConflictException conflict:
                    return Record(conflict, PipelineStateConflict, ErrorCategory.InvalidOperation, pipelineId,
                        $"Cannot {verb} {pipeline}: its current status is {conflict.CurrentStatus}; {conflict.Reason} Nothing was sent.",
                        $"To start it afresh, use Start-EnosPipeline -PipelineId '{pipelineId}'; to see its status, Get-EnosPipeline -PipelineId '{pipelineId}'.");

                case EnosApiException api when api.IsAuthenticationFailure:
                    return ForAuthentication(api);

                case EnosApiException api:
                    return Record(api, ApiError, CategoryOf(api.Code), pipelineId,
                        $"Cannot {verb} {pipeline}: \"{api.ApiMessage}\" ({Reference(api)}).",
                        RecommendationFor(api.Code));

                default:
                    return ForFailure(exception, $"Cannot {verb} {pipeline}", pipelineId);
            }
        }

        /// <summary>A failure not tied to one pipeline's state: transport, bad answers, bad arguments.</summary>
        public static ErrorRecord ForFailure(Exception exception, string what, object? target)
        {
            switch (exception)
            {
                case EnosTransportException transport when transport.SuggestedGatewayUrl != null:
                    return Record(transport, InvalidResponse, ErrorCategory.InvalidResult, target, $"{what}: {transport.Message}",
                        $"If '{transport.SuggestedGatewayUrl}' is your EnOS API gateway, connect to it: "
                        + $"Connect-EnosStreaming -GatewayUrl '{transport.SuggestedGatewayUrl}'. Otherwise ask who runs the gateway why it redirects.");

                case EnosTransportException transport when transport.Failure == TransportFailure.InvalidResponse:
                    return Record(transport, InvalidResponse, ErrorCategory.InvalidResult, target, $"{what}: {transport.Message}",
                        "Check that -GatewayUrl is the EnOS API gateway and not a web console or a proxy page; "
                        + "if it is, the gateway is failing: try again later.");

                case EnosTransportException transport:
                    return Record(transport, TransientFailure, CategoryOf(transport), target, $"{what}: {transport.Message}",
                        "The gateway or the network failed after every retry. Run the command again later for the pipelines that failed "
                        + "(they are the error records' TargetObject), or raise -MaxRetries and -TimeoutSec on Connect-EnosStreaming.");

                case EnosApiException api when api.IsAuthenticationFailure:
                    return ForAuthentication(api);

                case EnosApiException api:
                    return Record(api, ApiError, CategoryOf(api.Code), target, $"{what}: \"{api.ApiMessage}\" ({Reference(api)}).",
                        RecommendationFor(api.Code));

                case ArgumentException argument:
                    return Record(argument, InvalidArgument, ErrorCategory.InvalidArgument, target, $"{what}: {argument.Message}", null);

                case NotConnectedException notConnected:
                    return Record(notConnected, NotConnected, ErrorCategory.ConnectionError, null, notConnected.Message,
                        "Run Connect-EnosStreaming, or set the ENOS_* environment variables.");

                default:
                    return Record(exception, UnexpectedError, ErrorCategory.NotSpecified, target, $"{what}: {exception.Message}", null);
            }
        }

        public static ErrorRecord ForAuthentication(EnosApiException exception) =>
            Record(exception, AuthenticationFailed, ErrorCategory.AuthenticationError, null,
                $"EnOS did not accept the app key or secret (token service {exception.Code}: \"{exception.ApiMessage}\").",
                "Check the app key (the credential's user name) and the app secret (its password) in the EnOS console, "
                + "and that the gateway URL belongs to the same environment.");

        public static ErrorRecord ForInvalidPipelineId(string? pipelineId, string problem) =>
            Record(new ArgumentException(problem), InvalidPipelineId, ErrorCategory.InvalidArgument, pipelineId,
                problem + " Nothing was sent for it.",
                "Pass the id as Get-EnosPipeline shows it, e.g. -PipelineId 'abc123'.");

        public static ErrorRecord ForInvalidOrgId(object? target, string problem) =>
            Record(new ArgumentException(problem), InvalidArgument, ErrorCategory.InvalidArgument, target,
                problem + " Nothing was sent.",
                "Pass -OrgId as the EnOS console shows it, or leave it out to use the connection's organisation.");

        public static ErrorRecord ForMissingPipeline(string pipelineId, string orgId) =>
            Record(new ItemNotFoundException($"No pipeline with id '{pipelineId}' in organisation '{orgId}'."),
                PipelineNotFound, ErrorCategory.ObjectNotFound, pipelineId,
                $"No pipeline with id '{pipelineId}' in organisation '{orgId}'.",
                "List the pipelines with Get-EnosPipeline to find the id.");

        public static ErrorRecord ForMissingName(string name, string orgId) =>
            Record(new ItemNotFoundException($"No pipeline named '{name}' in organisation '{orgId}'."),
                PipelineNotFound, ErrorCategory.ObjectNotFound, name,
                $"No pipeline named '{name}' in organisation '{orgId}'.",
                "Use wildcards (-Name '*part*') or list the pipelines with Get-EnosPipeline.");

        private static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object? target, string message, string? recommendedAction)
        {
            var record = new ErrorRecord(exception, errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message),
            };
            if (recommendedAction != null)
            {
                record.ErrorDetails.RecommendedAction = recommendedAction;
            }

            return record;
        }

        private static ErrorCategory CategoryOf(EnosTransportException transport)
        {
            switch (transport.Failure)
            {
                case TransportFailure.TimedOut:
                    return ErrorCategory.OperationTimeout;
                case TransportFailure.HttpStatus when transport.StatusCode.HasValue
                                                      && ((int)transport.StatusCode == 429 || (int)transport.StatusCode == 503):
                    return ErrorCategory.ResourceUnavailable;
                default:
                    return ErrorCategory.ConnectionError;
            }
        }

        private static ErrorCategory CategoryOf(int code)
        {
            switch (code)
            {
                case EnosErrorCodes.NoPrivilege: return ErrorCategory.PermissionDenied;
                case EnosErrorCodes.AnotherUserStarting: return ErrorCategory.ResourceBusy;
                case EnosErrorCodes.InvalidConfiguration:
                case EnosErrorCodes.MissingParameter: return ErrorCategory.InvalidArgument;
                case EnosErrorCodes.AccessTokenExpired: return ErrorCategory.AuthenticationError;
                default: return ErrorCategory.NotSpecified;
            }
        }

        private static string? RecommendationFor(int code)
        {
            switch (code)
            {
                case EnosErrorCodes.NoPrivilege:
                    return "Check -OrgId, and that the application is authorised for Stream Processing in that organisation.";
                case EnosErrorCodes.AnotherUserStarting:
                    return "Someone else is starting a pipeline in this organisation; try again in a minute.";
                default:
                    return null;
            }
        }

        /// <summary>"EnOS 61152, request id …": what support needs to find the call.</summary>
        private static string Reference(EnosApiException api) =>
            api.RequestId == null ? $"EnOS {api.Code}" : $"EnOS {api.Code}, request id {api.RequestId}";
    }
}
