using System.Text.Json.Serialization;

namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>
    /// The gateway failures a client has to survive. The HTTP ones carry their status as value, so
    /// <c>"kinds": [429]</c> works as well as <c>["429"]</c> (PowerShell users write either).
    /// </summary>
    public enum FaultKind
    {
        [JsonStringEnumMemberName("429")]
        TooManyRequests = 429,

        [JsonStringEnumMemberName("503")]
        ServiceUnavailable = 503,

        [JsonStringEnumMemberName("html502")]
        HtmlBadGateway = 502,

        Drop = 1,
        Slow = 2,
        Malformed = 3,
    }
}
