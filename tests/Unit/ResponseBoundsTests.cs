using System;
using System.IO;
using System.IO.Compression;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EnOS.Streaming.Http;
using EnOS.Streaming.Model;
using Xunit;

namespace EnOS.Streaming.Tests
{
    /// <summary>
    /// What the client does with answers it must not trust: redirects (never followed), bodies that
    /// are too large, endless or slow, and bodies that are not UTF-8.
    /// </summary>
    public sealed class ResponseBoundsTests : IDisposable
    {
        private readonly StubGateway _gateway = new StubGateway();

        public void Dispose() => _gateway.Dispose();

        private static StreamingClientOptions Options(int maxRetries = 2, int attemptTimeoutMs = 30_000)
        {
            var options = StubGateway.FastOptions();
            options.MaxRetries = maxRetries;
            options.AttemptTimeout = TimeSpan.FromMilliseconds(attemptTimeoutMs);
            return options;
        }

        private static async Task<System.Collections.Generic.List<Pipeline>> ListAll(StreamingClient client)
        {
            using var listing = client.ListPipelines(StubGateway.OrgId, includeSystem: false);
            return await listing.ReadAllAsync(CancellationToken.None);
        }

        private static HttpResponseMessage Redirect(int status, string location)
        {
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("<html>Moved</html>") };
            response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
            return response;
        }

        private static HttpResponseMessage Body(Stream stream, string contentType = "application/json;charset=UTF-8", HttpStatusCode status = HttpStatusCode.OK)
        {
            var content = new StreamContent(stream);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return new HttpResponseMessage(status) { Content = content };
        }

        private static HttpResponseMessage Bytes(byte[] bytes, string contentType) => Body(new MemoryStream(bytes), contentType);

        /// <summary>White space then a success envelope: valid JSON of any size.</summary>
        private static byte[] PaddedEnvelope(int size)
        {
            var envelope = Encoding.UTF8.GetBytes("{\"code\":0,\"msg\":\"OK\",\"data\":\"\"}");
            var bytes = Enumerable.Repeat((byte)' ', size - envelope.Length).Concat(envelope).ToArray();
            return bytes;
        }

        [Theory]
        [InlineData(301)]
        [InlineData(302)]
        [InlineData(303)]
        [InlineData(307)]
        [InlineData(308)]
        public async Task A_redirected_pause_is_one_invalid_answer_that_says_where_it_pointed(int status)
        {
            _gateway.Respond = r => Redirect(status, "https://user:hunter2@other.example:8443" + r.Uri.PathAndQuery + "&sig=abc#frag");

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.False(error.IsTransient);
            Assert.Equal((HttpStatusCode)status, error.StatusCode);
            Assert.Single(_gateway.ApiRequests); // not retried
            Assert.Contains("'https://other.example:8443/streaming/v2.0/streaming/pipeline/pl-1'", error.Message);
            Assert.Contains("-GatewayUrl 'https://other.example:8443'", error.Message);
            Assert.Equal("https://other.example:8443", error.SuggestedGatewayUrl);
            Assert.DoesNotContain("hunter2", error.Message);
            Assert.DoesNotContain("sig=", error.Message);
            Assert.DoesNotContain("frag", error.Message);
        }

        [Fact]
        public async Task A_redirect_keeps_the_path_a_gateway_is_published_below()
        {
            _gateway.Respond = r => Redirect(302, "https://new.example/apigw" + r.Uri.PathAndQuery);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal("https://new.example/apigw", error.SuggestedGatewayUrl);
        }

        [Fact]
        public async Task A_redirect_s_reason_phrase_is_shown_with_hidden_characters_escaped()
        {
            _gateway.Respond = _ =>
            {
                var response = Redirect(302, "https://other.example/x");
                response.ReasonPhrase = "Found \u202Eevil";
                return response;
            };

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.DoesNotContain("\u202E", error.Message, StringComparison.Ordinal);
            Assert.Contains("Found \\u202Eevil", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_relative_redirect_is_resolved_against_the_gateway()
        {
            _gateway.Respond = _ => Redirect(302, "/login?next=x");

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Contains("'https://gateway.test/login'", error.Message);
            Assert.Equal("https://gateway.test", error.SuggestedGatewayUrl);
        }

        [Theory]
        [InlineData(301)]
        [InlineData(307)]
        [InlineData(308)]
        public async Task A_redirecting_token_service_fails_the_connection_once(int status)
        {
            _gateway.TokenRespond = r => Redirect(status, "http://127.0.0.2:9" + r.Uri.PathAndQuery);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => _gateway.Connect(Options()).VerifyCredentialsAsync());

            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.Equal("http://127.0.0.2:9", error.SuggestedGatewayUrl);
            Assert.Single(_gateway.Requests);
        }

        [Fact]
        public void The_handler_follows_no_redirect_and_decompresses_as_a_stream()
        {
            using var handler = GatewayHandlers.CreateHandler(new StreamingClientOptions());

            Assert.False(handler.AllowAutoRedirect);
            Assert.Equal(DecompressionMethods.GZip | DecompressionMethods.Deflate, handler.AutomaticDecompression);
        }

        [Fact]
        public async Task A_change_answered_with_more_than_64_KiB_is_invalid_and_not_retried()
        {
            _gateway.Respond = _ => Bytes(PaddedEnvelope(AnswerLimits.Small + 1), "application/json");

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.False(error.IsTransient);
            Assert.Contains("more than the 64 KiB", error.Message);
            Assert.Single(_gateway.ApiRequests);
        }

        [Fact]
        public async Task A_listing_may_be_large_but_not_over_16_MiB()
        {
            var listing = "{\"count\":0,\"pipelines\":[]}";
            _gateway.Respond = _ => StubGateway.Ok(listing + new string(' ', 1024 * 1024));
            var client = _gateway.Connect(Options()).CreateClient();

            Assert.Empty(await ListAll(client));

            _gateway.Respond = _ => Bytes(PaddedEnvelope(AnswerLimits.Large + 1), "application/json");
            var error = await Assert.ThrowsAsync<EnosTransportException>(() => ListAll(client));
            Assert.Contains("more than the 16 MiB", error.Message);
        }

        [Fact]
        public async Task An_endless_body_is_read_only_up_to_the_limit()
        {
            var endless = new EndlessStream();
            _gateway.Respond = _ => Body(endless);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.InRange(endless.Delivered, AnswerLimits.Small, AnswerLimits.Small + (64 * 1024));
            Assert.True(endless.Disposed);
        }

        [Fact]
        public async Task A_declared_length_over_the_limit_is_not_read_at_all()
        {
            var endless = new EndlessStream();
            _gateway.Respond = _ =>
            {
                var response = Body(endless);
                response.Content.Headers.ContentLength = 1L << 40;
                return response;
            };

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Contains("declared a length of 1099511627776 bytes", error.Message);
            Assert.Equal(0, endless.Delivered);
        }

        [Fact]
        public async Task An_oversized_error_page_with_a_retryable_status_is_still_retried()
        {
            _gateway.Respond = _ => Body(new EndlessStream(), "text/html", HttpStatusCode.ServiceUnavailable);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options(maxRetries: 2)).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(TransportFailure.HttpStatus, error.Failure);
            Assert.Equal(3, _gateway.ApiRequests.Count());
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_body_that_trickles_in_times_out_within_the_attempt(bool honoursCancellation)
        {
            // .NET Framework's response streams ignore the token: only closing the stream ends the read.
            _gateway.Respond = _ => Body(new StalledStream(honoursCancellation));

            var pause = _gateway.Connect(Options(maxRetries: 1, attemptTimeoutMs: 300)).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1");
            // Bounded, so that a read nothing ends fails the test instead of hanging it.
            Assert.Same(pause, await Task.WhenAny(pause, Task.Delay(TimeSpan.FromSeconds(20))));
            var error = await Assert.ThrowsAsync<EnosTransportException>(() => pause);

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.True(error.IsTransient);
            Assert.Equal(2, _gateway.ApiRequests.Count());
        }

        [Fact]
        public async Task A_connection_lost_mid_body_is_a_retried_transport_failure()
        {
            _gateway.Respond = _ => Body(new BrokenStream());

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options(maxRetries: 1)).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(TransportFailure.Unreachable, error.Failure);
            Assert.Equal(2, _gateway.ApiRequests.Count());
        }

        [Fact]
        public async Task Many_concurrent_large_answers_are_buffered_one_at_a_time()
        {
            var gauge = new LargeAnswerGauge();
            _gateway.Respond = _ => Body(new EndlessStream(gauge));
            var client = _gateway.Connect(Options(maxRetries: 0)).CreateClient();

            var reads = Enumerable.Range(1, 24).Select(i => client.GetPipelineAsync(StubGateway.OrgId, "pl-" + i)).ToArray();
            var errors = await Task.WhenAll(reads.Select(r => Assert.ThrowsAsync<EnosTransportException>(() => r)));

            Assert.All(errors, e => Assert.Contains("larger than 16 MiB", e.Message));
            Assert.Equal(1, gauge.Peak);
        }

        [Fact]
        public void A_large_answer_reuses_the_last_ones_segments_and_keeps_no_more_than_one_answers_worth()
        {
            const int segmentSize = 16 * 1024;
            var spare = new System.Collections.Generic.Stack<byte[]>();
            for (var answer = 0; answer < 10; answer++)
            {
                var body = new Http.SegmentedBody();
                Fill(body, AnswerLimits.Small);
                body.DrawSegmentsFrom(spare);
                var reused = spare.Count > 0 ? spare.Peek() : null;
                var next = body.FreeSpace(1).Array;
                Assert.True(reused == null || ReferenceEquals(reused, next));
                Fill(body, AnswerLimits.Large - AnswerLimits.Small);
                body.ReturnSegments();
            }

            Assert.InRange(spare.Count * (long)segmentSize, AnswerLimits.Large, AnswerLimits.Large + (2 * segmentSize));
        }

        private static void Fill(Http.SegmentedBody body, long count)
        {
            for (long filled = 0; filled < count;)
            {
                var space = body.FreeSpace((int)Math.Min(int.MaxValue, count - filled));
                body.Filled(space.Count);
                filled += space.Count;
            }
        }

        [Theory]
        [InlineData("application/json;charset=x-unknown-charset", "x-unknown-charset")]
        [InlineData("application/json; charset=iso-8859-1", "iso-8859-1")]
        [InlineData("application/json; charset=utf-16", "utf-16")]
        public async Task An_answer_in_another_charset_is_invalid_not_a_crash(string contentType, string charset)
        {
            _gateway.Respond = _ => Bytes(Encoding.UTF8.GetBytes("{\"code\":0,\"msg\":\"OK\",\"data\":\"\"}"), contentType);

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Equal(TransportFailure.InvalidResponse, error.Failure);
            Assert.False(error.IsTransient);
            Assert.Contains($"charset '{charset}'", error.Message);
            Assert.Single(_gateway.ApiRequests);
        }

        [Fact]
        public async Task An_answer_that_is_not_valid_UTF8_is_invalid()
        {
            var bytes = Encoding.UTF8.GetBytes("{\"code\":0,\"msg\":\"O?K\",\"data\":\"\"}");
            bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFF;
            _gateway.Respond = _ => Bytes(bytes, "application/json;charset=UTF-8");

            var error = await Assert.ThrowsAsync<EnosTransportException>(() =>
                _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));

            Assert.Contains("not valid UTF-8", error.Message);
        }

        [Theory]
        [InlineData("application/json;charset=\"utf-8\"")]
        [InlineData("application/json; charset=UTF8")]
        [InlineData("application/json")]
        public async Task UTF8_however_written_and_a_byte_order_mark_are_accepted(string contentType)
        {
            var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{\"code\":0,\"msg\":\"Grüße\",\"data\":\"\"}")).ToArray();
            _gateway.Respond = _ => Bytes(bytes, contentType);

            Assert.Equal(StateChange.Applied, await _gateway.Connect(Options()).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1"));
        }

        [Fact]
        public async Task A_token_answer_in_another_charset_is_never_quoted()
        {
            _gateway.TokenRespond = _ => Bytes(Encoding.UTF8.GetBytes("{\"status\":0,\"data\":{\"accessToken\":\"SECRET-TOKEN-9\"}}"), "application/json;charset=latin1");

            var error = await Assert.ThrowsAsync<EnosTransportException>(() => _gateway.Connect(Options()).VerifyCredentialsAsync());

            Assert.Contains("charset 'latin1'", error.Message);
            Assert.DoesNotContain("SECRET-TOKEN-9", error.ToString());
        }

        /// <summary>The limits as the reader applies them.</summary>
        private static class AnswerLimits
        {
            public const int Small = Http.AnswerReader.SmallAnswerLimit;
            public const int Large = Http.AnswerReader.LargeAnswerLimit;
        }

        /// <summary>Counts the bodies being read past the small limit at once.</summary>
        private sealed class LargeAnswerGauge
        {
            private int _current;
            private int _peak;

            public int Peak => Volatile.Read(ref _peak);

            public void Enter()
            {
                var now = Interlocked.Increment(ref _current);
                int peak;
                while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
                {
                }
            }

            public void Leave() => Interlocked.Decrement(ref _current);
        }

        [Fact]
        public async Task A_gzip_body_that_stalls_times_out_without_its_gzip_stream_freed_under_the_pending_read()
        {
            // As the handler gives a compressed answer: Content-Encoding cleared, ReadAsStreamAsync a
            // GZipStream. Disposing the content disposes that stream, and freeing its native inflater
            // while a read is pending segfaulted the process; on .NET the token ends the read instead.
            var bodies = new ConcurrentQueue<WatchedGZipStream>();
            _gateway.Respond = _ =>
            {
                var gzip = new WatchedGZipStream(new PendingStream());
                bodies.Enqueue(gzip);
                var content = new DecompressedLikeContent(gzip);
                content.Headers.TryAddWithoutValidation("Content-Type", "application/json;charset=UTF-8");
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            };

            var pause = _gateway.Connect(Options(maxRetries: 1, attemptTimeoutMs: 300)).CreateClient().PausePipelineAsync(StubGateway.OrgId, "pl-1");
            Assert.Same(pause, await Task.WhenAny(pause, Task.Delay(TimeSpan.FromSeconds(20))));
            var error = await Assert.ThrowsAsync<EnosTransportException>(() => pause);

            Assert.Equal(TransportFailure.TimedOut, error.Failure);
            Assert.Equal(2, bodies.Count);
            Assert.All(bodies, body => Assert.False(body.DisposedUnderPendingRead));
        }

        /// <summary>A body that sends nothing until its read is cancelled, as a socket's does on .NET.</summary>
        private sealed class PendingStream : NetworkLikeStream
        {
            private int _pending;

            public bool Pending => Volatile.Read(ref _pending) > 0;

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref _pending);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                    return 0;
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        /// <summary>A gzip stream that notes being disposed while a read of the body beneath is pending.</summary>
        private sealed class WatchedGZipStream : GZipStream
        {
            private readonly PendingStream _body;

            public WatchedGZipStream(PendingStream body)
                : base(body, CompressionMode.Decompress) => _body = body;

            public bool DisposedUnderPendingRead { get; private set; }

            protected override void Dispose(bool disposing)
            {
                DisposedUnderPendingRead |= _body.Pending;
                base.Dispose(disposing);
            }
        }

        /// <summary>Like the handler's decompressed content: ReadAsStreamAsync is the gzip stream itself.</summary>
        private sealed class DecompressedLikeContent : HttpContent
        {
            private readonly Stream _stream;

            public DecompressedLikeContent(Stream stream) => _stream = stream;

            protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(_stream);

            protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _stream.CopyToAsync(stream);

            protected override bool TryComputeLength(out long length)
            {
                length = 0;
                return false;
            }
        }

        /// <summary>A body as a network gives it: read-only, forward-only.</summary>
        private abstract class NetworkLikeStream : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        /// <summary>A body that never ends: white space, as fast as it is read.</summary>
        private sealed class EndlessStream : NetworkLikeStream
        {
            // Past the small limit plus one read, a body holds a large-answer slot.
            private const int LargeFrom = Http.AnswerReader.SmallAnswerLimit + (16 * 1024);
            private readonly LargeAnswerGauge? _gauge;
            private long _delivered;
            private bool _large;

            public EndlessStream(LargeAnswerGauge? gauge = null) => _gauge = gauge;

            public long Delivered => Interlocked.Read(ref _delivered);
            public bool Disposed { get; private set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                for (var i = 0; i < count; i++)
                {
                    buffer[offset + i] = (byte)' ';
                }

                if (Interlocked.Add(ref _delivered, count) > LargeFrom && !_large)
                {
                    _large = true;
                    _gauge?.Enter();
                }

                return count;
            }

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                await Task.Yield(); // other bodies get their turn, as on a network
                return Read(buffer, offset, count);
            }

            protected override void Dispose(bool disposing)
            {
                if (!Disposed && _large)
                {
                    _gauge?.Leave();
                }

                Disposed = true;
                base.Dispose(disposing);
            }
        }

        /// <summary>Sends the start of an envelope, then nothing until closed (or cancelled, if it honours that).</summary>
        private sealed class StalledStream : NetworkLikeStream
        {
            private readonly bool _honoursCancellation;
            private readonly TaskCompletionSource<int> _closed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            private bool _started;

            public StalledStream(bool honoursCancellation) => _honoursCancellation = honoursCancellation;

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (!_started)
                {
                    _started = true;
                    buffer[offset] = (byte)'{';
                    return 1;
                }

                var wait = Task.Delay(Timeout.Infinite, _honoursCancellation ? cancellationToken : CancellationToken.None);
                await Task.WhenAny(wait, _closed.Task).ConfigureAwait(false);
                ObjectDisposedException.ThrowIf(_closed.Task.IsCompleted, this);

                cancellationToken.ThrowIfCancellationRequested();
                return 0;
            }

            public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

            protected override void Dispose(bool disposing)
            {
                _closed.TrySetResult(0);
                base.Dispose(disposing);
            }
        }

        /// <summary>The start of an envelope, then the connection drops.</summary>
        private sealed class BrokenStream : MemoryStream
        {
            public BrokenStream() : base(Encoding.UTF8.GetBytes("{\"code\":0,")) { }

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                var read = await base.ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
                return read > 0 ? read : throw new IOException("The response ended prematurely.");
            }
        }
    }
}
