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
        StreamingApi streaming, TokenService tokens, AdminApi admin, RequestLog log, EmulatorStats stats, HostileAnswers hostile)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
            var target = RequestTarget.Parse(rawTarget);
            // Read as bytes and decode as UTF-8 ourselves: the signature covers the body as sent.
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);

            if (target.RawSegments[0] == AdminApi.Prefix)
            {
                await admin.HandleAsync(context, target, body);
                return;
            }

            stats.CountRequest();
            var isTokenCall = HttpMethods.IsPost(context.Request.Method)
                && target.RawSegments is ["apim-token-service", "v2.0", "token", "get" or "refresh"];
            if (hostile.Pick(isTokenCall) is { } hostileAnswer)
            {
                // Before the API runs: a redirected or bombed change is never applied.
                log.Add(context, target, null, isTokenCall ? TokenService.RedactForLog(body) : body, RequestLog.FaultCode);
                await HostileAnswers.WriteAsync(context, hostileAnswer, target.Raw, tokens);
            }
            else if (isTokenCall)
            {
                await tokens.HandleAsync(context, target, body, refresh: target.RawSegments[3] == "refresh");
            }
            else if (!await streaming.TryHandleAsync(context, target, body))
            {
                log.Add(context, target, null, body, ApiResult.NotFound.Code);
                await ApiResult.NotFound.WriteAsync(context);
            }
        }
    }
}
