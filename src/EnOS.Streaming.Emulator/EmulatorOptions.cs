using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace EnOS.Streaming.Emulator
{
    /// <summary>Command-line options of the emulator (see docs/emulator.md).</summary>
    public sealed record EmulatorOptions : IAdminBody<EmulatorOptions>
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

        /// <summary>
        /// Parses the arguments with the admin bodies' reader, so that a setting's name, type and range are
        /// written once (the record and its <see cref="Checked"/>): "--transition-ms 5" is read as
        /// {"transitions":{"transitionMs":"5"}}. Throws <see cref="ArgumentException"/> with a readable message.
        /// </summary>
        public static EmulatorOptions Parse(IReadOnlyList<string> args)
        {
            var settings = new JsonObject();
            var transitions = new JsonObject();
            var known = Options<EmulatorOptions>(settings).Concat(Options<TransitionSettings>(transitions)).ToDictionary(o => o.Name);
            for (var i = 0; i < args.Count; i++)
            {
                var (name, setting, target) = known.TryGetValue(args[i], out var option) ? option : throw new ArgumentException($"Unknown option '{args[i]}'.");
                target[setting.Name] = setting.PropertyType == typeof(bool) ? true
                    : ++i < args.Count ? args[i] : throw new ArgumentException($"Option '{name}' needs a value.");
            }

            settings["transitions"] = transitions;
            try
            {
                return JsonBody.ReadSettings<EmulatorOptions>(settings.ToJsonString(), "The command line");
            }
            catch (FormatException e)
            {
                throw new ArgumentException(e.Message);
            }

            // Each setting's option: its JSON name in kebab case ("tokenTtlSeconds" is --token-ttl-seconds).
            static IEnumerable<(string Name, JsonPropertyInfo Setting, JsonObject Target)> Options<T>(JsonObject target) =>
                new DefaultJsonTypeInfoResolver().GetTypeInfo(typeof(T), ApiResult.JsonOptions).Properties
                    .Where(p => p.PropertyType != typeof(TransitionSettings))
                    .Select(p => ("--" + string.Concat(p.Name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString())), p, target));
        }

        public EmulatorOptions Checked()
        {
            Check.Range(Port, 0, 65535, "port");
            Check.Range(Pipelines, 0, 1_000_000, "pipelines");
            Check.Range(SystemPipelines, 0, 1_000_000, "systemPipelines");
            Check.Range(PageCap, 1, int.MaxValue, "pageCap");
            Check.Range(LatencyMs, 0, int.MaxValue, "latencyMs");
            Check.Range(TokenTtlSeconds, 1, int.MaxValue, "tokenTtlSeconds");
            Check.That(OrgId.Length > 0 && AppKey.Length > 0 && AppSecret.Length > 0, "'orgId', 'appKey' and 'appSecret' must not be empty.");
            return this with { Transitions = Transitions.Checked() };
        }
    }
}
