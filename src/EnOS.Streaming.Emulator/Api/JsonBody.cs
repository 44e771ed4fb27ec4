using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnOS.Streaming.Emulator.Api
{
    /// <summary>
    /// Request bodies that must be one JSON object. Admin bodies are read leniently (any case, numbers
    /// in quotes) but completely (an unknown setting is an error); API bodies as strictly as the
    /// service documents them.
    /// </summary>
    public static class JsonBody
    {
        private static readonly JsonSerializerOptions AdminOptions = new(ApiResult.JsonOptions)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
        };

        private static readonly JsonSerializerOptions ApiOptions = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            RespectNullableAnnotations = true,
        };

        /// <summary>Reads and checks an admin body (or the command line); throws <see cref="FormatException"/> with a readable message.</summary>
        public static T ReadSettings<T>(string body, string what = "The body")
            where T : IAdminBody<T>
        {
            try
            {
                return (JsonSerializer.Deserialize<T>(body, AdminOptions) ?? throw new FormatException("The body must be a JSON object.")).Checked();
            }
            catch (JsonException e)
            {
                throw new FormatException(what + " does not fit: " + e.Message);
            }
        }

        /// <summary>Reads an API body into its contract; null when it does not fit (the service's 61100).</summary>
        public static T? TryRead<T>(string body)
            where T : class
        {
            try
            {
                return JsonSerializer.Deserialize<T>(body, ApiOptions);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
