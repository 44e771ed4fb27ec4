using System;
using EnOS.Streaming.Authentication;

namespace EnOS.Streaming.Session
{
    /// <summary>
    /// The module's connection, shared by every cmdlet: the one made by Connect-EnosStreaming, or
    /// else one made from the ENOS_* environment variables (the unattended runbook path).
    /// </summary>
    internal static class ModuleSession
    {
        public const string GatewayUrlVariable = "ENOS_GATEWAY_URL";
        public const string OrgIdVariable = "ENOS_ORG_ID";
        public const string AppKeyVariable = "ENOS_APP_KEY";
        public const string AppSecretVariable = "ENOS_APP_SECRET";

        public const string ConnectSource = "Connect-EnosStreaming";
        public const string EnvironmentSource = "Environment";

        private static readonly object Gate = new object();
        private static readonly byte[] FingerprintKey = NewFingerprintKey();
        private static StreamingConnection? _connected;

        // Kept while the variables stay the same, so a runbook's commands share one token.
        private static StreamingConnection? _fromEnvironment;
        private static string? _environmentFingerprint;

        private static byte[] NewFingerprintKey()
        {
            var key = new byte[32];
            using (var random = System.Security.Cryptography.RandomNumberGenerator.Create())
            {
                random.GetBytes(key);
            }

            return key;
        }

        public static void Connect(StreamingConnection connection)
        {
            lock (Gate)
            {
                _connected?.Dispose();
                _connected = connection;
            }
        }

        /// <summary>
        /// Forgets the connection, and the one made from the environment variables (which are
        /// read again by the next command); true if there was one.
        /// </summary>
        public static bool Disconnect()
        {
            lock (Gate)
            {
                var had = _connected != null;
                _connected?.Dispose();
                _connected = null;
                _fromEnvironment?.Dispose();
                _fromEnvironment = null;
                _environmentFingerprint = null;
                return had;
            }
        }

        /// <summary>The connection in use, without making one: for tab completion, which must stay quiet.</summary>
        public static StreamingConnection? Active
        {
            get
            {
                lock (Gate)
                {
                    // The environment's connection only while the variables still say the same.
                    return _connected
                           ?? (_fromEnvironment != null && EnvironmentFingerprint() == _environmentFingerprint ? _fromEnvironment : null);
                }
            }
        }

        public static StreamingConnection? Connected
        {
            get
            {
                lock (Gate)
                {
                    return _connected;
                }
            }
        }

        /// <summary>
        /// The connection to use, and where it came from. Throws <see cref="NotConnectedException"/>
        /// with what to do when there is neither a session nor a complete set of variables.
        /// </summary>
        public static StreamingConnection Resolve(out string source)
        {
            lock (Gate)
            {
                if (_connected != null)
                {
                    source = ConnectSource;
                    return _connected;
                }

                source = EnvironmentSource;
                return FromEnvironment();
            }
        }

        /// <summary>
        /// What the ENOS_* variables say now, as a keyed hash: it changes when any of them does,
        /// yet the secret cannot be recovered from it or used with the token service.
        /// </summary>
        private static string EnvironmentFingerprint()
        {
            var text = string.Join("\n",
                Environment.GetEnvironmentVariable(GatewayUrlVariable),
                Environment.GetEnvironmentVariable(OrgIdVariable),
                Environment.GetEnvironmentVariable(AppKeyVariable),
                Environment.GetEnvironmentVariable(AppSecretVariable));
            using (var hmac = new System.Security.Cryptography.HMACSHA256(FingerprintKey))
            {
                return Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text)));
            }
        }

        private static StreamingConnection FromEnvironment()
        {
            var gateway = Environment.GetEnvironmentVariable(GatewayUrlVariable);
            var orgId = Environment.GetEnvironmentVariable(OrgIdVariable);
            var appKey = Environment.GetEnvironmentVariable(AppKeyVariable);
            var appSecret = Environment.GetEnvironmentVariable(AppSecretVariable);

            var missing = new System.Collections.Generic.List<string>();
            if (string.IsNullOrWhiteSpace(gateway)) missing.Add(GatewayUrlVariable);
            if (string.IsNullOrWhiteSpace(orgId)) missing.Add(OrgIdVariable);
            if (string.IsNullOrWhiteSpace(appKey)) missing.Add(AppKeyVariable);
            if (string.IsNullOrEmpty(appSecret)) missing.Add(AppSecretVariable);
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

            var fingerprint = EnvironmentFingerprint();
            if (_fromEnvironment != null && fingerprint == _environmentFingerprint)
            {
                return _fromEnvironment;
            }

            if (!Uri.TryCreate(gateway!.Trim(), UriKind.Absolute, out var gatewayUrl))
            {
                throw new NotConnectedException(
                    $"{GatewayUrlVariable} is '{gateway}', which is not an absolute URL; set it to https://<apigw-address>.");
            }

            if (StreamingConnection.GatewayUrlProblem(gatewayUrl, allowInsecureHttp: true) == null
                && StreamingConnection.GatewayUrlProblem(gatewayUrl, allowInsecureHttp: false) != null)
            {
                throw new NotConnectedException(
                    $"{GatewayUrlVariable} is '{gateway}', http:// to another machine, which would send the access token in clear text; "
                    + "set it to the https:// address of the gateway (or use Connect-EnosStreaming -AllowInsecureHttp if you accept that risk).");
            }

            StreamingConnection connection;
            try
            {
                connection = StreamingConnection.Create(gatewayUrl, orgId!.Trim(), new AppCredential(appKey!.Trim(), appSecret!));
            }
            catch (ArgumentException exception)
            {
                throw new NotConnectedException($"The ENOS_* environment variables cannot be used: {exception.Message}");
            }

            _fromEnvironment?.Dispose();
            _fromEnvironment = connection;
            _environmentFingerprint = fingerprint;
            return connection;
        }
    }

    /// <summary>No connection could be found or made; the message says what to do.</summary>
    internal sealed class NotConnectedException : InvalidOperationException
    {
        public NotConnectedException(string message)
            : base(message)
        {
        }
    }
}
