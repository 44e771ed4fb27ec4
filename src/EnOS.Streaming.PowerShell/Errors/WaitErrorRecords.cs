using System;
using System.Management.Automation;
using EnOS.Streaming.Commands;

namespace EnOS.Streaming.Errors
{
    /// <summary>The error records of waiting for a status (Wait-EnosPipeline; the action cmdlets' -Wait later).</summary>
    internal static class WaitErrorRecords
    {
        public const string PipelineFailed = "EnosPipelineFailed";
        public const string WaitTimedOut = "EnosWaitTimedOut";

        /// <summary>The listing showed a failed status: the pipeline will not get to <paramref name="wanted"/> by itself.</summary>
        public static ErrorRecord ForFailed(string pipeline, string pipelineId, string status, string wanted) =>
            Record(new InvalidOperationException($"Pipeline '{pipelineId}' is {status}."), PipelineFailed, ErrorCategory.InvalidResult, pipelineId,
                $"{EnosCmdlet.Capitalised(pipeline)} is {status}, not {wanted}: it will not get there by itself.",
                "See why in the EnOS console (the pipeline's run log), fix the cause (a user pipeline needs its message channel's system pipelines running), then start it again.");

        /// <summary>Still elsewhere when the time was up (<paramref name="status"/> null: never listed during the wait).</summary>
        public static ErrorRecord ForTimedOut(string pipeline, string pipelineId, string? status, string wanted, int timeoutSec) =>
            Record(new TimeoutException($"Pipeline '{pipelineId}' is {status ?? "not listed"} after {timeoutSec} s."), WaitTimedOut, ErrorCategory.OperationTimeout, pipelineId,
                status == null
                    ? $"{EnosCmdlet.Capitalised(pipeline)} was not {wanted} within {timeoutSec} s: no listing during the wait showed it."
                    : $"{EnosCmdlet.Capitalised(pipeline)} was still {status} after {timeoutSec} s, not {wanted}.",
                "Wait longer (-TimeoutSec), or see the pipeline's status with Get-EnosPipeline and its run log in the EnOS console.");

        private static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object target, string message, string recommendedAction) =>
            new ErrorRecord(exception, errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction },
            };
    }
}
