using System;
using System.Linq;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public class PublicSurfaceTests
    {
        /// <summary>
        /// Public, and so registered as a type accelerator, is what users see: the output objects and
        /// their enums, the exceptions in error records, and the definition file's form. The rest is
        /// the cmdlets' business (internal, visible to EnOS.Streaming.PowerShell).
        /// </summary>
        [Fact]
        public void Only_what_users_see_is_public()
        {
            var exported = typeof(Pipeline).Assembly.GetExportedTypes().Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal);

            Assert.Equal(
                new[]
                {
                    "EnOS.Streaming.DefinitionMismatchException", "EnOS.Streaming.EnosApiException", "EnOS.Streaming.EnosErrorCodes",
                    "EnOS.Streaming.EnosException", "EnOS.Streaming.EnosTransportException", "EnOS.Streaming.ExecutionMode", "EnOS.Streaming.HealthVerdict",
                    "EnOS.Streaming.JournalEntry", "EnOS.Streaming.Pipeline", "EnOS.Streaming.PipelineDefinition",
                    "EnOS.Streaming.PipelineDefinitionFile", "EnOS.Streaming.PipelineHealth", "EnOS.Streaming.PipelineNameException", "EnOS.Streaming.PipelineNotListedException",
                    "EnOS.Streaming.PipelinePartitionLag", "EnOS.Streaming.PipelineStateConflictException", "EnOS.Streaming.PipelineStatus",
                    "EnOS.Streaming.RequestOutcome", "EnOS.Streaming.TransportFailure",
                },
                exported);
        }
    }
}
