using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>
    /// Decides whether a call gets a hostile answer instead of the API's, and writes it. Applies before
    /// the API runs, so a redirected or bombed change is never applied.
    /// </summary>
    public sealed class HostileAnswers() : AdminSwitch<HostileSettings>(HostileSettings.Off)
    {
        // Compressed once per size: a 64 MiB bomb is about 64 KB of gzip.
        private static readonly ConcurrentDictionary<int, byte[]> Bombs = new();

        private int _answered;

        public override object View => Settings == HostileSettings.Off ? new { } : Settings;

        protected override void Restart(HostileSettings settings)
        {
            _answered = 0;
            if (settings.Kind == HostileKind.Bomb)
            {
                _ = BombOf(settings.BombMiB); // built now, not during the first timed call
            }
        }

        /// <summary>The settings to answer this call with, or null for the real API.</summary>
        public HostileSettings? Pick(bool isTokenCall)
        {
            lock (Lock)
            {
                var settings = Settings;
                var inScope = settings.Scope == HostileScope.All || (settings.Scope == HostileScope.Token) == isTokenCall;
                if (!inScope || _answered >= settings.Limit)
                {
                    return null;
                }

                _answered++;
                return settings;
            }
        }

        public static async Task WriteAsync(HttpContext context, HostileSettings settings, string rawTarget, TokenService tokens)
        {
            var response = context.Response;
            var aborted = context.RequestAborted;
            try
            {
                switch (settings.Kind)
                {
                    case HostileKind.Redirect:
                        response.StatusCode = settings.RedirectStatus;
                        response.Headers.Location = settings.Location.TrimEnd('/') + rawTarget;
                        response.ContentType = "text/html";
                        await response.WriteAsync("<html><body>Moved</body></html>", aborted);
                        break;
                    case HostileKind.Bomb:
                        var bomb = BombOf(settings.BombMiB);
                        response.ContentType = "application/json;charset=UTF-8";
                        response.Headers.ContentEncoding = "gzip";
                        response.ContentLength = bomb.Length;
                        await response.Body.WriteAsync(bomb, aborted);
                        break;
                    case HostileKind.Endless:
                        // A string value that never ends: 4 GiB at most, or until the client hangs up.
                        response.ContentType = "application/json;charset=UTF-8";
                        await response.WriteAsync("{\"code\":0,\"msg\":\"", aborted);
                        var chunk = Encoding.ASCII.GetBytes(new string('A', 64 * 1024));
                        for (var sent = 0L; sent < 4L << 30 && !aborted.IsCancellationRequested; sent += chunk.Length)
                        {
                            await response.Body.WriteAsync(chunk, aborted);
                        }

                        break;
                    case HostileKind.SlowBody:
                        // The start of an answer, then one space every trickleMs, for two minutes at most.
                        response.ContentType = "application/json;charset=UTF-8";
                        await response.WriteAsync("{\"code\":0,", aborted);
                        await response.Body.FlushAsync(aborted);
                        for (var until = DateTime.UtcNow.AddMinutes(2); DateTime.UtcNow < until && !aborted.IsCancellationRequested;)
                        {
                            await Task.Delay(settings.TrickleMs, aborted);
                            await response.WriteAsync(" ", aborted);
                            await response.Body.FlushAsync(aborted);
                        }

                        break;
                    case HostileKind.Charset:
                        response.ContentType = "application/json;charset=" + settings.Charset;
                        await response.WriteAsync(Envelope("OK"), aborted);
                        break;
                    case HostileKind.Echo:
                        response.ContentType = "application/json;charset=UTF-8";
                        var leak = new { code = 61100, msg = "Invalid request. " + tokens.Leak(context.Request), requestId = Guid.NewGuid().ToString() };
                        await response.WriteAsync(JsonSerializer.Serialize(leak), aborted);
                        break;
                    case HostileKind.EchoPage:
                        response.StatusCode = settings.EchoStatus;
                        response.ContentType = "text/html";
                        await response.WriteAsync("<html><body>" + tokens.Leak(context.Request) + "</body></html>", aborted);
                        break;
                    case HostileKind.BadUtf8:
                        response.ContentType = "application/json;charset=UTF-8";
                        var text = Encoding.UTF8.GetBytes(Envelope("O?K"));
                        text[Array.IndexOf(text, (byte)'?')] = 0xFF; // never valid in UTF-8
                        await response.Body.WriteAsync(text, aborted);
                        break;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested)
            {
                // The client gave up on the answer, as it should.
            }
        }

        private static string Envelope(string msg) =>
            $"{{\"code\":0,\"msg\":\"{msg}\",\"requestId\":\"{Guid.NewGuid()}\",\"data\":\"\"}}";

        /// <summary>White space (valid before JSON) and then a success envelope: fully inflated, it even parses.</summary>
        private static byte[] BombOf(int mebibytes) => Bombs.GetOrAdd(mebibytes, size =>
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                var spaces = new byte[1024 * 1024];
                Array.Fill(spaces, (byte)' ');
                for (var i = 0; i < size; i++)
                {
                    gzip.Write(spaces);
                }

                gzip.Write(Encoding.UTF8.GetBytes(Envelope("OK")));
            }
            return compressed.ToArray();
        });
    }
}
