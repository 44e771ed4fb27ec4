using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Http
{
    /// <summary>
    /// Reads an answer's body as a stream, within a size limit, and decodes it as UTF-8. A body over
    /// the limit, in another charset or not valid UTF-8 is not read further and comes back with a
    /// <see cref="AnswerBody.Problem"/> and the start of its text, so that a decompression bomb or an
    /// endless body costs at most the limit, and a bad charset is an invalid answer, not a crash.
    /// </summary>
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
        "A SemaphoreSlim holds nothing to release unless its AvailableWaitHandle is used, which this class never does; disposing it could only break a waiter that races with the owner's end.")]
    internal sealed class AnswerReader
    {
        /// <summary>
        /// Answers to a POST (a change of state, a token, a saved pipeline's id) are one envelope of a
        /// few hundred bytes. 64 KiB still holds a proxy's error page, and 64 concurrent answers
        /// (-ThrottleLimit 64) then buffer at most 4 MiB between them.
        /// </summary>
        public const int SmallAnswerLimit = 64 * 1024;

        /// <summary>
        /// A GET can carry a page of pipelines (tens of kilobytes) or a pipeline's definition (rarely
        /// more than a megabyte); 16 MiB is far above both.
        /// </summary>
        public const int LargeAnswerLimit = 16 * 1024 * 1024;

        /// <summary>
        /// How many answers past <see cref="SmallAnswerLimit"/> one connection buffers at a time. Real
        /// answers that large are rare and come one at a time (a listing's pages, one definition), so
        /// one slot costs nothing in speed, while 64 concurrent bombs hold at most 16 MiB plus
        /// 64 x 64 KiB instead of 64 x 16 MiB. A body waits for the slot within its attempt's timeout.
        /// </summary>
        private const int ConcurrentLargeAnswers = 1;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        private readonly SemaphoreSlim _largeAnswers = new SemaphoreSlim(ConcurrentLargeAnswers, ConcurrentLargeAnswers);

        // The segments of the last large answer, reused by the next while the GC lets them live.
        // 16 MiB read per bomb is live long enough to reach gen2, so a run of 64 bombs without this
        // grew the heap by about 100 MB of garbage; a full collection frees them once unused. Only
        // the holder of the one large-answer slot touches them.
        private readonly WeakReference<Stack<byte[]>?> _spareSegments = new WeakReference<Stack<byte[]>?>(null);

        /// <summary>The limit for an answer to <paramref name="method"/>: small for POSTs, larger for GETs.</summary>
        public static int LimitFor(HttpMethod method) => method == HttpMethod.Get ? LargeAnswerLimit : SmallAnswerLimit;

        /// <summary>
        /// Reads the body. A timeout of <paramref name="cancellationToken"/> ends a body that trickles
        /// in (the caller links it to the attempt's timeout); a connection lost mid-body is an
        /// <see cref="HttpRequestException"/>, as it would be before the headers. One method, though
        /// long: the large-answer slot, the close that ends a hung read and the size checks share one
        /// loop and one finally, and pulled apart they would each need the others' state.
        /// </summary>
        public async Task<AnswerBody> ReadAsync(HttpContent? content, int limit, CancellationToken cancellationToken)
        {
            if (content == null)
            {
                return new AnswerBody(string.Empty, null);
            }

            var charsetProblem = CharsetProblem(content.Headers.ContentType?.CharSet);
            var declaredLength = content.Headers.ContentLength;
            if (declaredLength > limit)
            {
                return new AnswerBody(string.Empty, $"declared a length of {declaredLength.Value.ToString(CultureInfo.InvariantCulture)} bytes, "
                    + $"more than the {Size(limit)} any answer of this API stays below (not read)");
            }

            var holdsLargeSlot = false;
            var body = new SegmentedBody();
            try
            {
                using (var stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
                using (CloseOnCancel(content, stream, cancellationToken))
                {
                    while (true)
                    {
                        if (!holdsLargeSlot && body.Length >= SmallAnswerLimit)
                        {
                            await TakeLargeSlotAsync(body, cancellationToken).ConfigureAwait(false);
                            holdsLargeSlot = true;
                        }

                        // At most one byte past the limit is ever read: enough to know it was passed.
                        int read;
                        try
                        {
                            read = await ReadChunkAsync(stream, body, (int)Math.Min(int.MaxValue, limit + 1L - body.Length), cancellationToken).ConfigureAwait(false);
                        }
                        catch (InvalidDataException exception)
                        {
                            // The handler's gzip/deflate stream found the body is not what its
                            // Content-Encoding says: an answer of another kind, like a bomb.
                            return new AnswerBody(body.Start(), $"did not decompress as its Content-Encoding says ({exception.Message})");
                        }

                        if (read == 0)
                        {
                            break;
                        }

                        if (body.Length > limit)
                        {
                            return new AnswerBody(body.Start(),
                                $"was larger than {Size(limit)}, far more than any answer of this API (not read further)");
                        }
                    }

                    return charsetProblem != null ? new AnswerBody(body.Start(), charsetProblem) : Decode(body);
                }
            }
            finally
            {
                if (holdsLargeSlot)
                {
                    body.ReturnSegments();
                    _largeAnswers.Release();
                }
            }
        }

        /// <summary>Waits for the one large-answer slot; the body then draws on the segments the last large answer left.</summary>
        private async Task TakeLargeSlotAsync(SegmentedBody body, CancellationToken cancellationToken)
        {
            await _largeAnswers.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!_spareSegments.TryGetTarget(out var spare) || spare == null)
            {
                spare = new Stack<byte[]>();
                _spareSegments.SetTarget(spare);
            }

            body.DrawSegmentsFrom(spare);
        }

        /// <summary>Null for no charset or UTF-8 (the documented one), otherwise what is wrong.</summary>
        internal static string? CharsetProblem(string? charset)
        {
            var name = charset?.Trim().Trim('"', '\'');
            if (string.IsNullOrEmpty(name)
                || string.Equals(name, "utf-8", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, "utf8", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            // Quoted for the message, but never more than a line of it.
            var shown = name!.Length > 40 ? name.Substring(0, 40) + "…" : name;
            return $"declared the charset '{shown}', not the UTF-8 the API documents";
        }

        private static async Task<int> ReadChunkAsync(Stream stream, SegmentedBody body, int atMost, CancellationToken cancellationToken)
        {
            try
            {
                var segment = body.FreeSpace(atMost);
                var read = await stream.ReadAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken).ConfigureAwait(false);
                body.Filled(read);
                return read;
            }
            catch (Exception exception) when (cancellationToken.IsCancellationRequested && !(exception is OperationCanceledException))
            {
                // Whatever a closed stream throws (ObjectDisposedException, IOException, or on .NET
                // Framework a WebException), the cause is the timeout or the caller's cancellation.
                throw new OperationCanceledException("The answer did not arrive in time.", exception, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException || exception is System.Net.WebException)
            {
                // Dropped mid-body: the same retried failure as a connection dropped before the headers.
                throw new HttpRequestException("The connection failed while the answer was being read: " + exception.Message, exception);
            }
        }

        /// <summary>
        /// A stream that ignores the token in ReadAsync (.NET Framework's response streams) ends a
        /// read that hangs only when the content is closed under it. But HttpContent.Dispose also
        /// disposes the stream ReadAsStreamAsync returned, and when that is the handler's gzip or
        /// deflate stream (the handler clears Content-Encoding: the stream's type is what tells),
        /// freeing its native inflater while a read is pending crashes the process: a segfault in
        /// System.IO.Compression.Native, with 64 concurrent bombs timing out. On .NET the token
        /// ends that read, so nothing is closed under it there.
        /// </summary>
        private static CancellationTokenRegistration CloseOnCancel(HttpContent content, Stream stream, CancellationToken cancellationToken) =>
            GatewayHandlers.OnNetFramework || !(stream is GZipStream || stream is DeflateStream)
                ? cancellationToken.Register(content.Dispose)
                : default;

        private static AnswerBody Decode(SegmentedBody body)
        {
            var bytes = body.ToArray();
            // A byte order mark is tolerated, as ReadAsStringAsync did.
            var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                return new AnswerBody(StrictUtf8.GetString(bytes, start, bytes.Length - start), null);
            }
            catch (DecoderFallbackException)
            {
                return new AnswerBody(body.Start(), "was not valid UTF-8");
            }
        }

        private static string Size(int bytes) =>
            bytes >= 1024 * 1024
                ? (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB"
                : (bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KiB";
    }
}
