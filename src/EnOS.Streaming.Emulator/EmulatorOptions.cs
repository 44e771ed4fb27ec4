using System.Globalization;

namespace EnOS.Streaming.Emulator
{
    /// <summary>Command-line options of the emulator (see docs/emulator.md).</summary>
    public sealed record EmulatorOptions
    {
        public int Port { get; init; }
        public int Pipelines { get; init; } = 12;
        public int SystemPipelines { get; init; } = 2;
        public int PageCap { get; init; } = 100;
        public int LatencyMs { get; init; }
        public string OrgId { get; init; } = "o15500000000001";
        public string AppKey { get; init; } = "emulator-app-key";
        public string AppSecret { get; init; } = "emulator-app-secret";
        public int TokenTtlSeconds { get; init; } = 7200;
        public bool ExitOnStdinClose { get; init; }

        /// <summary>How pipelines move between statuses until PUT /_emulator/transitions changes it (DELETE comes back here).</summary>
        public TransitionSettings Transitions { get; init; } = TransitionSettings.None;

        public const string Usage =
            """
        Usage: EnOS.Streaming.Emulator [options]
          --port N                 port on 127.0.0.1 (default 0 = a free port)
          --pipelines N            seeded pipelines (default 12)
          --system-pipelines N     seeded system pipelines (default 2)
          --page-cap N             most pipelines per List Pipelines page (default 100)
          --latency-ms N           delay added to every streaming API call (default 0)
          --org-id S               the organisation that exists (default o15500000000001)
          --app-key S              registered app key (default emulator-app-key)
          --app-secret S           registered app secret (default emulator-app-secret)
          --token-ttl-seconds N    expire of issued tokens (default 7200)
          --exit-on-stdin-close    exit when stdin reaches EOF
          --transition-ms N        STARTING/PAUSING/STOPPING shown this long before the status (default 0)
          --fail-every K           every K-th start ends FAILED (default: none)
          --lag-trend T            steady, draining or growing: how lag moves between calls (default steady)
          --system-pipelines-first a user pipeline started while its channel's system pipelines are not RUNNING ends FAILED
        """;

        /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message on bad input.</summary>
        public static EmulatorOptions Parse(IReadOnlyList<string> args)
        {
            var options = new EmulatorOptions();
            for (var i = 0; i < args.Count; i++)
            {
                var name = args[i];
                options = name switch
                {
                    "--port" => options with { Port = Int(name, Next(ref i), 0, 65535) },
                    "--pipelines" => options with { Pipelines = Int(name, Next(ref i), 0, 1_000_000) },
                    "--system-pipelines" => options with { SystemPipelines = Int(name, Next(ref i), 0, 1_000_000) },
                    "--page-cap" => options with { PageCap = Int(name, Next(ref i), 1, int.MaxValue) },
                    "--latency-ms" => options with { LatencyMs = Int(name, Next(ref i), 0, int.MaxValue) },
                    "--org-id" => options with { OrgId = Text(name, Next(ref i)) },
                    "--app-key" => options with { AppKey = Text(name, Next(ref i)) },
                    "--app-secret" => options with { AppSecret = Text(name, Next(ref i)) },
                    "--token-ttl-seconds" => options with { TokenTtlSeconds = Int(name, Next(ref i), 1, int.MaxValue) },
                    "--exit-on-stdin-close" => options with { ExitOnStdinClose = true },
                    "--transition-ms" => options with { Transitions = options.Transitions with { TransitionMs = Int(name, Next(ref i), 0, 3_600_000) } },
                    "--fail-every" => options with { Transitions = options.Transitions with { FailEvery = Int(name, Next(ref i), 1, int.MaxValue) } },
                    "--lag-trend" => options with { Transitions = options.Transitions with { LagTrend = Trend(name, Next(ref i)) } },
                    "--system-pipelines-first" => options with { Transitions = options.Transitions with { SystemPipelinesFirst = true } },
                    _ => throw new ArgumentException($"Unknown option '{name}'."),
                };
            }
            return options;

            string Next(ref int i)
            {
                var name = args[i];
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"Option '{name}' needs a value.");
                }

                return args[++i];
            }
        }

        private static int Int(string name, string value, int min, int max)
        {
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                throw new ArgumentException($"Option '{name}' needs an integer from {min} to {max}, got '{value}'.");
            }

            return n;
        }

        private static LagTrend Trend(string name, string value) =>
            Enum.TryParse<LagTrend>(value, ignoreCase: true, out var trend) && Enum.IsDefined(trend)
                ? trend
                : throw new ArgumentException($"Option '{name}' needs steady, draining or growing, got '{value}'.");

        private static string Text(string name, string value) =>
            string.IsNullOrEmpty(value) ? throw new ArgumentException($"Option '{name}' needs a non-empty value.") : value;
    }
}
