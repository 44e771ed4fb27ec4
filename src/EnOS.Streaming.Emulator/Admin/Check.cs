using System.Globalization;
using System.Text.Json;

namespace EnOS.Streaming.Emulator.Admin
{
    /// <summary>The range checks of admin bodies, each a <see cref="FormatException"/> naming the setting.</summary>
    public static class Check
    {
        public static void That(bool condition, string problem)
        {
            if (!condition)
            {
                throw new FormatException(problem);
            }
        }

        public static void Range(double? value, double min, double max, string name) =>
            That(value is null || (value >= min && value <= max),
                string.Create(CultureInfo.InvariantCulture, $"'{name}' must be from {min} to {max}."));

        /// <summary>The names an enum's values are written with: "a, b, c".</summary>
        public static string Names<TEnum>()
            where TEnum : struct, Enum =>
            string.Join(", ", Enum.GetValues<TEnum>().Select(v => JsonSerializer.Serialize(v, ApiResult.JsonOptions).Trim('"')));
    }
}
