using System.Text.RegularExpressions;

namespace EnOS.Streaming
{
    /// <summary>The service answered an error code: the code, its message and request id; never a secret.</summary>
    public class EnosApiException : EnosException
    {
        private static readonly Regex BracketedStatus = new Regex(@"\[(?<status>[A-Za-z_]+)\]", RegexOptions.CultureInvariant);

        public EnosApiException(int code, string? apiMessage, string? requestId, string operation)
            : base(BuildMessage(code, apiMessage, requestId, operation), RequestOutcome.Refused)
        {
            Code = code;
            ApiMessage = apiMessage;
            RequestId = requestId;
            Operation = operation;
        }

        /// <summary>The numeric code of the answer (streaming codes such as 61152, or token codes such as 1003).</summary>
        public int Code { get; }

        /// <summary>The message text as the service sent it (English, sometimes misspelt).</summary>
        public string? ApiMessage { get; }

        public string? RequestId { get; }

        /// <summary>What was being done, e.g. "pause pipeline 'pl-1'".</summary>
        public string Operation { get; }

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
