using System;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>Every failure the client reports is one family, caught as one type, told by properties that cannot change after it is thrown.</summary>
    public class ExceptionFamilyTests
    {
        private static readonly Type[] ClientExceptions = typeof(EnosException).Assembly.GetTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t) && t != typeof(EnosException))
            .ToArray();

        [Fact]
        public void EveryClientExceptionIsAnEnosException()
        {
            Assert.Contains(typeof(EnosApiException), ClientExceptions);
            Assert.Contains(typeof(EnosTransportException), ClientExceptions);
            Assert.Contains(typeof(PipelineStateConflictException), ClientExceptions);
            Assert.All(ClientExceptions, t => Assert.True(typeof(EnosException).IsAssignableFrom(t), $"{t.Name} is not an EnosException"));
            Assert.True(typeof(EnosException).IsAbstract);
        }

        [Fact]
        public void NoPropertyCanBeSetFromOutsideTheClient()
        {
            var settable = ClientExceptions.Where(t => t.IsPublic)
                .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                .Where(p => p.SetMethod?.IsPublic == true)
                .Select(p => p.DeclaringType!.Name + "." + p.Name);
            Assert.Empty(settable);
        }

        [Fact]
        public void CatchingTheBaseCatchesTheServicesAnswerAndTheClientsOwnRefusal()
        {
            var answer = new EnosApiException(EnosErrorCodes.StateConflict, "cannot be changed from [STOPPED] to Paused", "req-1", "pause pipeline 'pl-1'");
            Exception[] thrown = { answer, new PipelineStateConflictException("pl-1", "STOPPED", "only a paused pipeline can be resumed.", answer) };
            foreach (var exception in thrown)
            {
                var caught = Record.Exception(() => { try { throw exception; } catch (EnosException) { } });
                Assert.Null(caught);
            }

            Assert.Equal("STOPPED", answer.ReportedStatus);
            Assert.Equal("req-1", answer.RequestId);
        }

        [Fact]
        public async Task Only_a_failure_known_to_have_changed_nothing_says_so()
        {
            // What a bulk command's report and the journal rely on: "not changed" only when certain.
            var answer = new EnosApiException(EnosErrorCodes.StateConflict, "cannot be changed from [STOPPED] to Paused", "req-1", "pause pipeline 'pl-1'");
            Assert.True(answer.ChangedNothing);
            Assert.True(new PipelineStateConflictException("pl-1", "STOPPED", "only a paused pipeline can be resumed.").ChangedNothing);
            Assert.True(new PipelineNotListedException("pl-1", "o1").ChangedNothing);
            Assert.True(new PipelineNameException("n", "o1", Array.Empty<string>()).ChangedNothing);

            var policy = new RetryPolicy(new StreamingClientOptions());
            var neverReached = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw new EnosTransportException("the TLS handshake failed", TransportFailure.TlsHandshake, null, null),
                "pause pipeline 'pl-1'", NullLogger.Instance, CancellationToken.None));
            Assert.True(neverReached.ChangedNothing);

            // An answer that came but was not the expected one: the call may have been applied.
            var answered = await Assert.ThrowsAsync<EnosTransportException>(() => policy.ExecuteAsync<int>(
                _ => throw new EnosTransportException("the answer was not JSON", TransportFailure.InvalidResponse, HttpStatusCode.OK, "<html>"),
                "pause pipeline 'pl-1'", NullLogger.Instance, CancellationToken.None));
            Assert.False(answered.ChangedNothing);
        }
    }
}
