using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace EnOS.Streaming.Tests
{
    public class CorruptCompressionTests
    {
        [Fact]
        public async Task A_body_that_does_not_decompress_is_an_invalid_answer_not_a_raw_InvalidDataException()
        {
            var gateway = new StubGateway();
            // What the handler's automatic decompression reads for "Content-Encoding: gzip" over bytes
            // that are a gzip header and then garbage.
            var garbage = new byte[] { 0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3 }.Concat(Enumerable.Repeat((byte)0xFF, 64)).ToArray();
            gateway.Respond = _ => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StreamContent(new GZipStream(new MemoryStream(garbage), CompressionMode.Decompress)),
            };

            var error = await Assert.ThrowsAsync<EnosTransportException>(
                () => gateway.Connect().CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.Contains("did not decompress", error.Message);
            Assert.Single(gateway.ApiRequests); // an answer of another kind: trying again will not help
        }
    }
}
