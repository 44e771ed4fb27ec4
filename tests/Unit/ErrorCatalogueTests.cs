using System;
using System.Management.Automation;
using System.Net;
using EnOS.Streaming.Errors;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>
    /// The error catalogue as users read it: for each kind of failure, its ErrorId, category,
    /// target, message and recommended action (the texts a runbook may log or match).
    /// </summary>
    public sealed class ErrorCatalogueTests
    {
        [Fact]
        public void A_refused_state_change_names_the_pipeline_its_status_and_the_request()
        {
            var api = new EnosApiException(61152, "cannot be changed from [PAUSED] to Paused", "req-9", "pause pipeline 'pl-1'");
            var record = EnosErrorRecords.ForPipeline(api, "pause", "pl-1", "wind-line-1", "o1");

            Assert.Equal("EnosPipelineStateConflict", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, record.CategoryInfo.Category);
            Assert.Equal("pl-1", record.TargetObject);
            Assert.Equal("Cannot pause pipeline 'wind-line-1' (pl-1): its current status is PAUSED (EnOS 61152, request id req-9).", record.ErrorDetails.Message);
            Assert.Equal("See the pipeline's status with Get-EnosPipeline -PipelineId 'pl-1'.", record.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void A_resume_refused_by_status_advises_a_start_and_says_nothing_was_sent()
        {
            var conflict = new PipelineStateConflictException("pl-1", "STOPPED", "a stopped pipeline cannot be resumed.");
            var record = EnosErrorRecords.ForPipeline(conflict, "resume", "pl-1", null, "o2", namesOrganisation: true);

            Assert.Equal("EnosPipelineStateConflict", record.FullyQualifiedErrorId);
            Assert.StartsWith("Cannot resume pipeline 'pl-1' in organisation 'o2': its current status is STOPPED. A stopped pipeline cannot be resumed.",
                record.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Equal("To start it afresh, use Start-EnosPipeline -PipelineId 'pl-1'; to see its status, Get-EnosPipeline -PipelineId 'pl-1'.",
                record.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void An_id_the_service_does_not_have_carries_the_name_hint_and_its_advice()
        {
            var api = new EnosApiException(61108, "pipeline not found", null, "pause pipeline 'wind-line-1'");
            var record = EnosErrorRecords.ForPipeline(api, "pause", "wind-line-1", null, "o1", nameHint: "'wind-line-1' is the name of pl-0001");

            Assert.Equal("EnosPipelineNotFound", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
            Assert.Equal("Cannot pause pipeline 'wind-line-1': organisation 'o1' has no such pipeline (EnOS 61108). 'wind-line-1' is the name of pl-0001.",
                record.ErrorDetails.Message);
            Assert.Equal("Pass the pipeline's id, or select it by name: Get-EnosPipeline -Name 'wind-line-1' | <the command>.", record.ErrorDetails.RecommendedAction);
            Assert.True(EnosErrorRecords.IsNotFound(api));
        }

        [Fact]
        public void Other_service_codes_keep_the_services_words_with_a_category_and_advice_of_their_own()
        {
            var denied = EnosErrorRecords.ForPipeline(new EnosApiException(61106, "no privilege", null, "stop pipeline 'pl-1'"), "stop", "pl-1", null, "o1");
            Assert.Equal("EnosApiError", denied.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, denied.CategoryInfo.Category);
            Assert.Equal("Cannot stop pipeline 'pl-1': \"no privilege\" (EnOS 61106).", denied.ErrorDetails.Message);
            Assert.Equal("Check -OrgId, and that the application is authorised for Stream Processing in that organisation.", denied.ErrorDetails.RecommendedAction);

            var busy = EnosErrorRecords.ForFailure(new EnosApiException(61121, "busy", null, "list"), "Cannot list", null);
            Assert.Equal(ErrorCategory.ResourceBusy, busy.CategoryInfo.Category);

            var odd = EnosErrorRecords.ForFailure(new EnosApiException(99000, "internal", null, "list"), "Cannot list", "o1");
            Assert.Equal(ErrorCategory.NotSpecified, odd.CategoryInfo.Category);
            Assert.Empty(odd.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void A_transport_failure_is_one_clause_after_the_subject_with_advice_by_its_kind()
        {
            var timedOut = new EnosTransportException("The call timed out.", TransportFailure.TimedOut, null, null);
            var perPipeline = EnosErrorRecords.ForFailure(timedOut, "Cannot pause pipeline 'pl-1'", "pl-1", perPipeline: true);
            Assert.Equal("EnosTransientFailure", perPipeline.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OperationTimeout, perPipeline.CategoryInfo.Category);
            Assert.Equal("Cannot pause pipeline 'pl-1': the call timed out.", perPipeline.ErrorDetails.Message);
            Assert.StartsWith("The gateway or the network failed after every retry. Run the command again later", perPipeline.ErrorDetails.RecommendedAction, StringComparison.Ordinal);

            var busy = new EnosTransportException("The gateway answered HTTP 503", TransportFailure.HttpStatus, HttpStatusCode.ServiceUnavailable, null);
            var listing = EnosErrorRecords.ForFailure(busy, "Cannot list", null);
            Assert.Equal(ErrorCategory.ResourceUnavailable, listing.CategoryInfo.Category);
            Assert.Equal("The gateway or the network failed after every retry. Try again later, or raise -MaxRetries and -TimeoutSec on Connect-EnosStreaming.",
                listing.ErrorDetails.RecommendedAction);

            var refused = EnosErrorRecords.ForFailure(new EnosTransportException("Connection refused", TransportFailure.ConnectionRefused, null, null), "Cannot connect", null);
            Assert.Equal("EnosTransientFailure", refused.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, refused.CategoryInfo.Category);
            Assert.StartsWith("Check the gateway URL given to Connect-EnosStreaming", refused.ErrorDetails.RecommendedAction, StringComparison.Ordinal);

            var notJson = EnosErrorRecords.ForFailure(new EnosTransportException("Not JSON", TransportFailure.InvalidResponse, HttpStatusCode.OK, "<html>"), "Cannot list", null);
            Assert.Equal("EnosInvalidResponse", notJson.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidResult, notJson.CategoryInfo.Category);

            var limited = EnosErrorRecords.ForFailure(new EnosTransportException("Rate limited", TransportFailure.RateLimited, (HttpStatusCode)429, null), "Cannot list", null);
            Assert.Equal("EnosRateLimited", limited.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.LimitsExceeded, limited.CategoryInfo.Category);
        }

        [Fact]
        public void A_bad_argument_and_an_unexpected_failure_end_with_one_full_stop()
        {
            var argument = EnosErrorRecords.ForFailure(new ArgumentException("The URL is empty"), "Cannot connect", null);
            Assert.Equal("EnosInvalidArgument", argument.FullyQualifiedErrorId);
            Assert.Equal("Cannot connect: the URL is empty.", argument.ErrorDetails.Message);
            Assert.Empty(argument.ErrorDetails.RecommendedAction);

            var unexpected = EnosErrorRecords.ForFailure(new InvalidOperationException("Something broke."), "Cannot list", "o1");
            Assert.Equal("EnosUnexpectedError", unexpected.FullyQualifiedErrorId);
            Assert.Equal("Cannot list: something broke.", unexpected.ErrorDetails.Message);
        }

        [Fact]
        public void A_missing_pipeline_or_name_says_where_it_was_looked_for()
        {
            var id = EnosErrorRecords.ForMissingPipeline("pl-9", "o1");
            Assert.Equal("EnosPipelineNotFound", id.FullyQualifiedErrorId);
            Assert.Equal("No pipeline with id 'pl-9' in organisation 'o1'.", id.ErrorDetails.Message);

            var system = EnosErrorRecords.ForMissingPipeline("sys-1", "o1", isSystem: true);
            Assert.Equal("Add -IncludeSystem: Get-EnosPipeline -PipelineId 'sys-1' -IncludeSystem.", system.ErrorDetails.RecommendedAction);

            var name = EnosErrorRecords.ForMissingName("wind*", "o1");
            Assert.Equal("EnosPipelineNotFound", name.FullyQualifiedErrorId);
            Assert.Equal("wind*", name.TargetObject);
            Assert.Equal("No pipeline named 'wind*' in organisation 'o1'.", name.ErrorDetails.Message);
            Assert.Equal(name.ErrorDetails.Message, name.Exception.Message);
        }

        [Fact]
        public void A_run_without_pipelines_says_what_to_pass_in_its_message_and_its_exception()
        {
            var record = EnosErrorRecords.ForMissingPipelineIds("Suspend-EnosPipeline");
            Assert.Equal("Suspend-EnosPipeline needs the pipelines to act on, and none was given: pass -PipelineId <id>, or pipe pipelines in.", record.Exception.Message);
            Assert.Equal(record.Exception.Message + " Nothing was sent.", record.ErrorDetails.Message);
            Assert.Null(record.TargetObject);
        }

        [Fact]
        public void A_change_that_may_have_applied_says_so_once_and_keeps_its_advice()
        {
            var lost = new EnosApiException(61152, "cannot be changed", null, "pause pipeline 'pl-1'") { Outcome = RequestOutcome.MayHaveApplied };
            var record = EnosErrorRecords.ForPipeline(lost, "pause", "pl-1", null, "o1");
            var advice = record.ErrorDetails.RecommendedAction;

            EnosErrorRecords.WithMayHaveChanged(record, lost, "paused");
            EnosErrorRecords.WithMayHaveChanged(record, lost, "paused");

            Assert.EndsWith(" It may have been paused all the same: an attempt reached the service and no answer to it came back.", record.ErrorDetails.Message, StringComparison.Ordinal);
            var message = record.ErrorDetails.Message;
            Assert.Equal(message.IndexOf("may have been", StringComparison.Ordinal), message.LastIndexOf("may have been", StringComparison.Ordinal));
            Assert.Equal(advice, record.ErrorDetails.RecommendedAction);

            var refused = EnosErrorRecords.ForPipeline(new EnosApiException(61152, "no", null, "x"), "pause", "pl-1", null, "o1");
            var before = refused.ErrorDetails.Message;
            EnosErrorRecords.WithMayHaveChanged(refused, new EnosApiException(61152, "no", null, "x"), "paused");
            Assert.Equal(before, refused.ErrorDetails.Message);
        }
    }
}
