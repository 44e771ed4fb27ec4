using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnOS.Streaming.Emulator.Api
{
    /// <summary>
    /// An answer of the streaming API, written as the common envelope
    /// <c>{"code","msg","requestId","data"}</c> with HTTP 200 (API errors live in <c>code</c>).
    /// </summary>
    public sealed record ApiResult(int Code, string Msg, object? Data, int HttpStatus = StatusCodes.Status200OK)
    {
        /// <summary>
        /// camelCase JSON for every answer, enums by name (the admin settings' kinds). The relaxed encoder
        /// keeps quotes in string values readable (alarmConfig is itself JSON) instead of \u0022 escapes;
        /// nothing here is embedded in HTML.
        /// </summary>
        public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };

        public static ApiResult Ok(object? data) => new(0, "OK", data);

        public static ApiResult Error(int code, string msg) => new(code, msg, null);

        public static readonly ApiResult NotFound = new(404, "Not Found", null, StatusCodes.Status404NotFound);

        /// <summary>What every operation on a pipeline id answers when there is no such pipeline (sic: "exit").</summary>
        public static readonly ApiResult NoSuchPipeline = Error(61108, "Stream processing job does not exit.");

        public static readonly ApiResult InvalidJson = Error(61100, "The Stream configuration JSON is invalid.");

        public Task WriteAsync(HttpContext context) =>
            Results.Json(
                    new { code = Code, msg = Msg, requestId = Guid.NewGuid().ToString(), data = Data },
                    JsonOptions,
                    statusCode: HttpStatus)
                .ExecuteAsync(context);
    }
}
