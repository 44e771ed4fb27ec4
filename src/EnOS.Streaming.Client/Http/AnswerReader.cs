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
    /// <summary>Reads a body within a size limit as UTF-8; a bomb, another charset or bad UTF-8 comes back as a <see cref="AnswerBody.Problem"/>, not a crash.</summary>
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
        "A SemaphoreSlim holds nothing to release unless its AvailableWaitHandle is used, which this class never does; disposing it could only break a waiter that races with the owner's end.")]
    internal sealed class AnswerReader
    {
        /// <summary>A POST's answer is a few hundred bytes; 64 KiB holds a proxy's error page, and 64 at once buffer 4 MiB.</summary>
        public const int SmallAnswerLimit = 64 * 1024;

        /// <summary>A GET's page (tens of KiB) or definition (rarely a MiB) stays far below 16 MiB.</summary>
        public const int LargeAnswerLimit = 16 * 1024 * 1024;

        /// <summary>Large answers buffered at once: real ones are rare, and 64 bombs then hold 16 MiB plus 64 x 64 KiB, not 64 x 16 MiB.</summary>
        private const int ConcurrentLargeAnswers = 1;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        private readonly SemaphoreSlim _largeAnswers = new SemaphoreSlim(ConcurrentLargeAnswers, ConcurrentLargeAnswers);

        // The last large answer's segments, reused (64 bombs otherwise left 100 MB of gen2 garbage); only the slot's holder touches them.
        private readonly WeakReference<Stack<byte[]>?> _spareSegments = new WeakReference<Stack<byte[]>?>(null);

        /// <summary>The limit for an answer to <paramref name="method"/>: small for POSTs, larger for GETs.</summary>
        public static int LimitFor(HttpMethod method) => method == HttpMethod.Get ? LargeAnswerLimit : SmallAnswerLimit;

        /// <summary>Reads the body, ended by <paramref name="cancellationToken"/>; one method, as the slot, the close and the size checks share one loop and finally.</summary>
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
                            // The body is not what its Content-Encoding says: an answer of another kind, like a bomb.
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

                    return charsetProblem != null ? new AnswerBody(body.Start(), charsetProblem)
                        : Utf8Text(body.ToArray()) is { } text ? new AnswerBody(text, null) : new AnswerBody(body.Start(), "was not valid UTF-8");
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
                // Whatever a closed stream throws, the cause is the timeout or the caller's cancellation.
                throw new OperationCanceledException("The answer did not arrive in time.", exception, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException || exception is System.Net.WebException)
            {
                // Dropped mid-body: the same retried failure as a connection dropped before the headers.
                throw new HttpRequestException("The connection failed while the answer was being read: " + exception.Message, exception);
            }
        }

        /// <summary>Closes the content to end a hung read on .NET Framework (its streams ignore the token); never a gzip stream on .NET: that segfaults.</summary>
        private static CancellationTokenRegistration CloseOnCancel(HttpContent content, Stream stream, CancellationToken cancellationToken) =>
            GatewayHandlers.OnNetFramework || !(stream is GZipStream || stream is DeflateStream)
                ? cancellationToken.Register(content.Dispose)
                : default;

        /// <summary>The text of UTF-8 bytes, a byte order mark tolerated (as ReadAsStringAsync did); null when they are not UTF-8.</summary>
        internal static string? Utf8Text(byte[] bytes)
        {
            var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                return StrictUtf8.GetString(bytes, start, bytes.Length - start);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        private static string Size(int bytes) =>
            bytes >= 1024 * 1024
                ? (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB"
                : (bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KiB";
    }

    /// <summary>A body's text, or the start of it and why it is not an answer.</summary>
    /// <param name="Text">The whole body, or only its start when <paramref name="Problem"/> is set.</param>
    /// <param name="Problem">Why the body cannot be an answer ("was larger than 64 KiB…"), or null.</param>
    internal sealed record AnswerBody(string Text, string? Problem);
}
