using System;
using System.Globalization;
using System.IO;
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
        /// two slots cost nothing in speed, while 64 concurrent bombs hold at most 2 x 16 MiB plus
        /// 64 x 64 KiB instead of 64 x 16 MiB. A body waits for a slot within its attempt's timeout.
        /// </summary>
        private const int ConcurrentLargeAnswers = 2;

        private const int ChunkSize = 16 * 1024;

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        private static readonly UTF8Encoding LenientUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

        private readonly SemaphoreSlim _largeAnswers = new SemaphoreSlim(ConcurrentLargeAnswers, ConcurrentLargeAnswers);

        /// <summary>The limit for an answer to <paramref name="method"/>: small for POSTs, larger for GETs.</summary>
        public static int LimitFor(HttpMethod method) => method == HttpMethod.Get ? LargeAnswerLimit : SmallAnswerLimit;

        /// <summary>
        /// Reads the body. A timeout of <paramref name="cancellationToken"/> ends a body that trickles
        /// in (the caller links it to the attempt's timeout); a connection lost mid-body is an
        /// <see cref="HttpRequestException"/>, as it would be before the headers.
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
            try
            {
                // Sized up front only within the small limit: a declared length alone reserves no more.
                using (var body = new MemoryStream((int)Math.Min(declaredLength ?? 0, SmallAnswerLimit)))
                using (var stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
                // .NET Framework's response streams ignore the token in ReadAsync: closing the stream
                // is what ends a read that hangs.
                using (cancellationToken.Register(() => stream.Dispose()))
                {
                    var chunk = new byte[ChunkSize];
                    while (true)
                    {
                        var read = await ReadChunkAsync(stream, chunk, cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        if (body.Length + read > limit)
                        {
                            return new AnswerBody(ExcerptSource(body),
                                $"was larger than {Size(limit)}, far more than any answer of this API (not read further)");
                        }

                        if (!holdsLargeSlot && body.Length + read > SmallAnswerLimit)
                        {
                            await _largeAnswers.WaitAsync(cancellationToken).ConfigureAwait(false);
                            holdsLargeSlot = true;
                        }

                        body.Write(chunk, 0, read);
                    }

                    return charsetProblem != null ? new AnswerBody(ExcerptSource(body), charsetProblem) : Decode(body);
                }
            }
            finally
            {
                if (holdsLargeSlot)
                {
                    _largeAnswers.Release();
                }
            }
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

        private static async Task<int> ReadChunkAsync(Stream stream, byte[] chunk, CancellationToken cancellationToken)
        {
            try
            {
                return await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (cancellationToken.IsCancellationRequested
                                              && (exception is ObjectDisposedException || exception is IOException || exception is HttpRequestException))
            {
                // The stream was closed because the attempt timed out (or the caller cancelled).
                throw new OperationCanceledException("The answer did not arrive in time.", exception, cancellationToken);
            }
            catch (IOException exception)
            {
                throw new HttpRequestException("The connection failed while the answer was being read: " + exception.Message, exception);
            }
        }

        private static AnswerBody Decode(MemoryStream body)
        {
            var bytes = body.GetBuffer();
            var length = (int)body.Length;
            // A byte order mark is tolerated, as ReadAsStringAsync did.
            var start = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                return new AnswerBody(StrictUtf8.GetString(bytes, start, length - start), null);
            }
            catch (DecoderFallbackException)
            {
                return new AnswerBody(ExcerptSource(body), "was not valid UTF-8");
            }
        }

        /// <summary>The start of a rejected body, decoded leniently: enough for an excerpt, never the whole.</summary>
        private static string ExcerptSource(MemoryStream body) =>
            LenientUtf8.GetString(body.GetBuffer(), 0, (int)Math.Min(body.Length, 1024));

        private static string Size(int bytes) =>
            bytes >= 1024 * 1024
                ? (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB"
                : (bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KiB";
    }

    /// <summary>A body's text, or the start of it and why it is not an answer.</summary>
    internal sealed class AnswerBody
    {
        public AnswerBody(string text, string? problem)
        {
            Text = text;
            Problem = problem;
        }

        /// <summary>The whole body, or only its start when <see cref="Problem"/> is set.</summary>
        public string Text { get; }

        /// <summary>Why the body cannot be an answer ("was larger than 64 KiB…"), or null.</summary>
        public string? Problem { get; }
    }
}
