using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using EnOS.Streaming.Authentication;

namespace EnOS.Streaming.Session
{
    /// <summary>
    /// The connection the ENOS_* variables describe (the unattended runbook path), made on first use
    /// and kept while they say the same, so a runbook's commands share one token. Used under ModuleSession's lock.
    /// </summary>
    internal sealed class EnvironmentConnection
    {
        public const string GatewayUrlVariable = "ENOS_GATEWAY_URL";
        public const string OrgIdVariable = "ENOS_ORG_ID";
        public const string AppKeyVariable = "ENOS_APP_KEY";
        public const string AppSecretVariable = "ENOS_APP_SECRET";

        private static readonly string[] Variables = { GatewayUrlVariable, OrgIdVariable, AppKeyVariable, AppSecretVariable };

        private readonly byte[] _fingerprintKey = NewFingerprintKey();
        private StreamingConnection? _connection;
        private string? _fingerprint;

        /// <summary>Whether any of the ENOS_* variables is set, complete or not.</summary>
        public static bool IsSet => Variables.Any(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)));

        /// <summary>The connection made before, while the variables still say the same; otherwise null. Makes none.</summary>
        public StreamingConnection? Existing => _connection != null && Fingerprint() == _fingerprint ? _connection : null;

        /// <summary>The connection the variables describe, made again when they changed; <see cref="NotConnectedException"/> says what to set.</summary>
        public StreamingConnection GetOrCreate()
        {
            var values = Variables.Select(Environment.GetEnvironmentVariable).ToArray();
            ThrowIfMissing(values);
            if (Existing is StreamingConnection existing)
            {
                return existing;
            }

            StreamingConnection connection;
            try
            {
                connection = StreamingConnection.Create(GatewayUrlOf(values[0]!), values[1]!.Trim(), new AppCredential(values[2]!.Trim(), values[3]!));
            }
            catch (ArgumentException exception)
            {
                throw new NotConnectedException($"The ENOS_* environment variables cannot be used: {exception.Message}");
            }

            _connection?.Dispose();
            _connection = connection;
            _fingerprint = Fingerprint();
            return connection;
        }

        /// <summary>Which of the app key and secret has white space at an end (a CRLF env file), and what, never the value; otherwise null.</summary>
        public static string? CredentialProblem()
        {
            var problems = new[] { AppKeyVariable, AppSecretVariable }
                .Select(name => EdgeWhiteSpace(Environment.GetEnvironmentVariable(name)) is string problem ? $"{name} {problem}" : null)
                .Where(problem => problem != null)
                .ToList();
            return problems.Count == 0
                ? null
                : string.Join("; ", problems) + ". Remove it (a file saved with Windows line endings is the usual cause).";
        }

        private static string? EdgeWhiteSpace(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            string? Describe(char c) => c == '\r' ? "a carriage return" : c == '\n' ? "a line feed" : char.IsWhiteSpace(c) ? "white space" : null;
            var start = Describe(value![0]);
            var end = Describe(value[value.Length - 1]);
            return start != null ? $"starts with {start}" + (end != null ? $" and ends with {end}" : string.Empty)
                 : end != null ? $"ends with {end}"
                 : null;
        }

        /// <param name="values">The variables' values, in the order of <see cref="Variables"/>.</param>
        private static void ThrowIfMissing(string?[] values)
        {
            // The secret may be white space on purpose; the others may not.
            var missing = Variables
                .Where((name, i) => name == AppSecretVariable ? string.IsNullOrEmpty(values[i]) : string.IsNullOrWhiteSpace(values[i]))
                .ToList();
            if (missing.Count == 4)
            {
                throw new NotConnectedException(
                    "Not connected to EnOS. Run Connect-EnosStreaming -GatewayUrl https://<apigw-address> -OrgId <orgId> "
                    + "-Credential (Get-Credential -UserName <appKey>), or, for unattended runbooks, set the environment variables "
                    + $"{GatewayUrlVariable}, {OrgIdVariable}, {AppKeyVariable} and {AppSecretVariable}.");
            }

            if (missing.Count > 0)
            {
                throw new NotConnectedException(
                    $"Not connected to EnOS, and the environment variables are incomplete: {string.Join(", ", missing)} "
                    + (missing.Count == 1 ? "is" : "are") + " not set. Set all four of "
                    + $"{GatewayUrlVariable}, {OrgIdVariable}, {AppKeyVariable} and {AppSecretVariable}, or run Connect-EnosStreaming.");
            }
        }

        /// <summary>ENOS_GATEWAY_URL as a URL the module will send a token to, or why not.</summary>
        private static Uri GatewayUrlOf(string gateway)
        {
            // Shown without any user:password@ it may hold.
            var shownGateway = StreamingConnection.WithoutUserInfo(gateway.Trim());
            if (!Uri.TryCreate(gateway.Trim(), UriKind.Absolute, out var gatewayUrl))
            {
                throw new NotConnectedException(
                    $"{GatewayUrlVariable} is '{shownGateway}', which is not an absolute URL; set it to https://<apigw-address>.");
            }

            var problem = StreamingConnection.GatewayUrlProblem(gatewayUrl, allowInsecureHttp: true);
            if (problem != null)
            {
                throw new NotConnectedException($"{GatewayUrlVariable} cannot be used: {problem}");
            }

            if (StreamingConnection.GatewayUrlProblem(gatewayUrl, allowInsecureHttp: false) != null)
            {
                throw new NotConnectedException(
                    $"{GatewayUrlVariable} is '{shownGateway}', http:// to another machine, which would send the access token in clear text; "
                    + "set it to the https:// address of the gateway (or use Connect-EnosStreaming -AllowInsecureHttp if you accept that risk).");
            }

            return gatewayUrl;
        }

        /// <summary>What the ENOS_* variables say now, as a keyed hash: it changes with them, yet holds no usable secret.</summary>
        private string Fingerprint()
        {
            var text = string.Join("\n", Variables.Select(Environment.GetEnvironmentVariable));
            using var hmac = new HMACSHA256(_fingerprintKey);
            return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }

        private static byte[] NewFingerprintKey()
        {
            var key = new byte[32];
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(key);
            return key;
        }
    }
}
