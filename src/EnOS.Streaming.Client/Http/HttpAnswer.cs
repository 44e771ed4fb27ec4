using System;
using System.Net;

namespace EnOS.Streaming.Http
{
    /// <summary>The status and body of one HTTP answer.</summary>
    internal sealed class HttpAnswer(HttpStatusCode statusCode, string body, TimeSpan? retryAfter, string? bodyProblem = null, RateLimitHeaders? rateLimit = null)
    {
        public HttpStatusCode StatusCode { get; } = statusCode;
        public string Body { get; } = body;
        public TimeSpan? RetryAfter { get; } = retryAfter;

        /// <summary>The RateLimit-* / X-RateLimit-* headers, when the gateway sent any.</summary>
        public RateLimitHeaders? RateLimit { get; } = rateLimit;

        /// <summary>Why the body cannot be an answer (too large, not UTF-8), in which case Body is only its start.</summary>
        public string? BodyProblem { get; } = bodyProblem;

        /// <summary>The envelope; 429 and 502-504 are transport errors whatever their body, other HTTP errors answers if enveloped.</summary>
        public ApiEnvelope ReadEnvelope(string codeField, bool bodyIsSecret = false)
        {
            if (ResponseClassifier.IsUpstreamFailure(StatusCode))
            {
                var excerpt = bodyIsSecret ? ApiEnvelope.WithheldBody : ApiEnvelope.Excerpt(Body);
                throw new EnosTransportException(
                    $"the gateway answered HTTP {ApiEnvelope.StatusText(StatusCode)}", ApiEnvelope.BodyDetail(Body, bodyIsSecret), null,
                    TransportFailure.HttpStatus, StatusCode, excerpt)
                {
                    RetryAfter = RetryAfter,
                };
            }

            if (BodyProblem != null)
            {
                // Complete answers of another kind (a bomb, another charset): trying again will not help.
                throw ApiEnvelope.NotAnEnvelope(StatusCode, bodyIsSecret ? null : Body, BodyProblem, null);
            }

            return ApiEnvelope.Parse(Body, StatusCode, codeField, bodyIsSecret);
        }
    }
}
