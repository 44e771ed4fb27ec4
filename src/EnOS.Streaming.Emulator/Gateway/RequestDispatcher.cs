using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>
    /// The emulator's only middleware. It routes on the raw request target instead of ASP.NET
    /// routing, because routing decodes and normalises the path ("..%2Fx" must stay one segment,
    /// and '+' in the query must stay '+') and the emulator must judge what the client really sent.
    /// </summary>
    public sealed class RequestDispatcher(
        StreamingApi streaming, TokenService tokens, AdminApi admin, RequestLog log, EmulatorStats stats, TimeProvider clock, GatewayLimits limits,
        HostileAnswers hostile)
    {
        private static readonly string[] TokenBase = ["apim-token-service", "v2.0", "token"];

        public async Task InvokeAsync(HttpContext context)
        {
            var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
            var target = RequestTarget.Parse(rawTarget);
            // Read as bytes and decode as UTF-8 ourselves: the signature covers the body as sent.
            var body = await ReadBodyAsync(context);

            if (target.RawSegments[0] == AdminApi.Prefix)
            {
                await admin.HandleAsync(context, target, body);
                return;
            }

            stats.CountRequest();
            var method = context.Request.Method;

            var isTokenCall = IsTokenCall(target, method, out var refresh);
            if (hostile.Pick(isTokenCall) is { } hostileAnswer)
            {
                // Before the API runs: a redirected or bombed change is never applied.
                Record(isTokenCall ? TokenService.RedactForLog(body) : body, null, RequestLog.FaultCode);
                await HostileAnswers.WriteAsync(context, hostileAnswer, target.Raw, tokens);
                return;
            }

            if (isTokenCall)
            {
                var reply = refresh ? tokens.Refresh(body) : tokens.Get(body);
                Record(refresh ? TokenService.RedactForLog(body) : body, null, reply.Status);
                await Results.Json(
                        new { status = reply.Status, msg = reply.Msg, business = "apim-token-service", data = reply.Data },
                        ApiResult.JsonOptions)
                    .ExecuteAsync(context);
                return;
            }

            if (StreamingRoute.TryMatch(method, target, out var operation, out var pipelineId))
            {
                if (!await limits.AdmitAsync(context, target, pipelineId, body))
                {
                    return;
                }

                await streaming.HandleAsync(context, target, body, operation, pipelineId);
                return;
            }

            Record(body, null, ApiResult.NotFound.Code);
            await ApiResult.NotFound.WriteAsync(context);

            void Record(string loggedBody, string? id, int code) => log.Add(new RequestLogEntry(
                method, target.Raw, target.DecodedPath, id, target.QueryByName, loggedBody, code, clock.GetUtcNow()));
        }

        private static bool IsTokenCall(RequestTarget target, string method, out bool refresh)
        {
            var raw = target.RawSegments;
            refresh = raw.Length == 4 && raw[3] == "refresh";
            return HttpMethods.IsPost(method)
                && raw.Length == 4
                && raw.AsSpan(0, 3).SequenceEqual(TokenBase)
                && raw[3] is "get" or "refresh";
        }

        private static async Task<string> ReadBodyAsync(HttpContext context)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            return buffer.Length == 0 ? "" : Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
