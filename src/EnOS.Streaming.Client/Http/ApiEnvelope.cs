using System;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnOS.Streaming.Json;

namespace EnOS.Streaming.Http
{
    /// <summary>One answer: {"code"|"status","msg","requestId","data"}, read tolerantly (trailing commas, comments, unknown fields); Data is
    /// detached from the document, Undefined when absent or null.</summary>
    internal sealed record ApiEnvelope(int Code, string? Message, string? RequestId, JsonElement Data)
    {
        private const int ExcerptLength = 200;

        private static readonly JsonDocumentOptions Tolerant = new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        };

        /// <summary>Stands in for a body that must not be quoted.</summary>
        public const string WithheldBody = "(not shown: the token service's answers can hold an access token)";

        /// <summary>Parses a body ("status" is the token service's code); a secret body is never quoted, even malformed.</summary>
        public static ApiEnvelope Parse(string body, HttpStatusCode statusCode, string codeField, bool bodyIsSecret = false)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body, Tolerant);
            }
            catch (JsonException exception)
            {
                // Most often an answer cut off on the way: the classifier retries it.
                throw NotAnEnvelope(statusCode, bodyIsSecret ? null : body, "was not JSON", exception, bodyNotJson: true);
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(codeField, out var codeElement)
                    || !JsonFields.TryReadInt(codeElement, out var code))
                {
                    throw NotAnEnvelope(statusCode, bodyIsSecret ? null : body, $"had no numeric '{codeField}'", null);
                }

                var data = root.TryGetProperty("data", out var dataElement) && dataElement.ValueKind != JsonValueKind.Null
                    ? dataElement.Clone()
                    : default;
                return new ApiEnvelope(code, JsonFields.String(root, "msg"), JsonFields.String(root, "requestId"), data);
            }
        }

        /// <summary>The first characters of a body, on one line, for error messages.</summary>
        public static string Excerpt(string body)
        {
            var flat = body.Replace("\r", " ").Replace("\n", " ").Trim();
            return flat.Length <= ExcerptLength ? flat : flat.Substring(0, ExcerptLength) + "…";
        }

        internal static EnosTransportException NotAnEnvelope(HttpStatusCode statusCode, string? body, string problem, Exception? inner, bool bodyNotJson = false)
        {
            var excerpt = body == null ? WithheldBody : Excerpt(body);
            return new EnosTransportException(
                $"the gateway answered HTTP {StatusText(statusCode)} with a body that {problem}", BodyDetail(body, secret: body == null),
                null, TransportFailure.InvalidResponse, statusCode, excerpt, inner)
            {
                BodyNotJson = bodyNotJson,
            };
        }

        /// <summary>"503 Service Unavailable": the code and its words (HttpStatusCode names run them together).</summary>
        internal static string StatusText(HttpStatusCode statusCode)
        {
            var code = (int)statusCode;
            var name = code == 429 ? "TooManyRequests" : statusCode.ToString();
            var words = Regex.Replace(name, "(?<=.)(?=[A-Z])", " ").Replace("O K", "OK");
            var text = code.ToString(CultureInfo.InvariantCulture);
            return name.Length == 0 || char.IsDigit(name[0]) ? text : text + " " + words;
        }

        /// <summary>A sentence quoting a body's start, or null for an empty one; a <paramref name="secret"/> (or null) body is only described.</summary>
        internal static string? BodyDetail(string? body, bool secret)
        {
            var excerpt = body == null ? null : Excerpt(body);
            if (excerpt?.Length == 0)
            {
                return null;
            }

            if (secret || excerpt == null)
            {
                return "The body is not shown: the token service's answers can hold an access token.";
            }

            return (excerpt.Length < body!.Trim().Length ? "The body began: " : "The body was: ") + excerpt;
        }
    }
}
