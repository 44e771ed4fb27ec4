using System.Text.RegularExpressions;

namespace EnOS.Streaming
{
    /// <summary>The service answered an error code: the code, its message and request id; never a secret.</summary>
    public class EnosApiException(int code, string? apiMessage, string? requestId, string operation)
        : EnosException(BuildMessage(code, apiMessage, requestId, operation), RequestOutcome.Refused)
    {
        private static readonly Regex BracketedStatus = new Regex(@"\[(?<status>[A-Za-z_]+)\]", RegexOptions.CultureInvariant);

        /// <summary>The numeric code of the answer (streaming codes such as 61152, or token codes such as 1003).</summary>
        public int Code { get; } = code;

        /// <summary>The message text as the service sent it (English, sometimes misspelt).</summary>
        public string? ApiMessage { get; } = apiMessage;

        public string? RequestId { get; } = requestId;

        /// <summary>What was being done, e.g. "pause pipeline 'pl-1'".</summary>
        public string Operation { get; } = operation;

        /// <summary>The status in brackets in a 61152/61165 message ("from [PAUSED] to Paused"): the one part worth parsing.</summary>
        public string? ReportedStatus =>
            ApiMessage != null && BracketedStatus.Match(ApiMessage) is { Success: true } match ? match.Groups["status"].Value : null;

        /// <summary>True for the codes that mean the app key, secret or token are not accepted.</summary>
        public bool IsAuthenticationFailure => EnosErrorCodes.IsAuthenticationFailure(Code);

        private static string BuildMessage(int code, string? apiMessage, string? requestId, string operation)
        {
            var text = $"Could not {operation}: EnOS answered {code}";
            if (!string.IsNullOrWhiteSpace(apiMessage))
            {
                text += $" \"{apiMessage!.Trim()}\"";
            }

            return requestId == null ? text + "." : text + $" (request id {requestId}).";
        }
    }
}
