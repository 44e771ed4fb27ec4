using System;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using EnOS.Streaming.Authentication;

namespace EnOS.Streaming.Session
{
    /// <summary>
    /// The connection a command uses: the one Connect-EnosStreaming made in this runspace, or else
    /// one made from the ENOS_* environment variables (the unattended runbook path), which is the
    /// same for the whole process and so shared by it. Commands hold what they use with a lease,
    /// so a connection that is replaced or forgotten closes only when the last command using it ends.
    /// </summary>
    /// <remarks>
    /// Connect-made connections are kept per runspace (Runspace.DefaultRunspace, which PowerShell
    /// sets on the thread that runs a runspace's pipelines and its tab completion), in a
    /// ConditionalWeakTable so that a runspace that is gone takes its entry with it. The runspace
    /// is the unit users think in (a ThreadJob, a ForEach-Object -Parallel body, a hosted runspace
    /// each have one; Start-Job is another process anyway). The module's session state would be
    /// the other choice, but a binary module has none of its own to keep state in, and the
    /// cmdlet's SessionState is the caller's scope, which differs between scripts of one runspace.
    /// </remarks>
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

        private static readonly ConditionalWeakTable<object, RunspaceSlot> ByRunspace = new ConditionalWeakTable<object, RunspaceSlot>();

        // Commands run on a thread with no default runspace only when hosted oddly; they share this.
        private static readonly object NoRunspace = new object();

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

        /// <summary>
        /// Makes the connection this runspace's; the one it replaces closes once no command uses
        /// it. Returns the replaced one (closing: only its gateway and organisation are of use), or null.
        /// </summary>
        public static StreamingConnection? Connect(StreamingConnection connection)
        {
            lock (Gate)
            {
                var slot = CurrentSlot();
                var replaced = slot.Connected;
                replaced?.Dispose();
                slot.Connected = connection;
                return replaced;
            }
        }

        /// <summary>Whether Connect-EnosStreaming made a connection in this runspace.</summary>
        public static bool HasConnection
        {
            get
            {
                lock (Gate)
                {
                    return CurrentSlot().Connected != null;
                }
            }
        }

        /// <summary>
        /// When this runspace's commands use the ENOS_* variables and the app key or secret has
        /// white space at either end (a CRLF env file leaves a carriage return), says which and
        /// what is there; otherwise null. The value itself is never quoted.
        /// </summary>
        public static string? EnvironmentCredentialProblem()
        {
            if (HasConnection)
            {
                return null;
            }

            var problems = new[] { AppKeyVariable, AppSecretVariable }
                .Select(name => (name, problem: EdgeWhiteSpace(Environment.GetEnvironmentVariable(name))))
                .Where(found => found.problem != null)
                .Select(found => $"{found.name} {found.problem}")
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

        /// <summary>Whether any of the ENOS_* variables is set, complete or not.</summary>
        public static bool EnvironmentIsSet =>
            new[] { GatewayUrlVariable, OrgIdVariable, AppKeyVariable, AppSecretVariable }
                .Any(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)));

        /// <summary>
        /// Forgets this runspace's connection, and the one made from the environment variables
        /// (which the next command reads again); true if this runspace had one. Other runspaces'
        /// connections are untouched, and commands still running keep theirs until they end.
        /// </summary>
        public static bool Disconnect()
        {
            lock (Gate)
            {
                var slot = CurrentSlot();
                var had = slot.Connected != null;
                slot.Connected?.Dispose();
                slot.Connected = null;
                _fromEnvironment?.Dispose();
                _fromEnvironment = null;
                _environmentFingerprint = null;
                return had;
            }
        }

        /// <summary>
        /// A lease on the connection in use, without making one: for tab completion, which must
        /// stay quiet. Null when there is none.
        /// </summary>
        public static StreamingConnection.Lease? LeaseActive()
        {
            lock (Gate)
            {
                // The environment's connection only while the variables still say the same.
                var connection = CurrentSlot().Connected
                                 ?? (_fromEnvironment != null && EnvironmentFingerprint() == _environmentFingerprint ? _fromEnvironment : null);
                return connection?.TryLease();
            }
        }

        /// <summary>
        /// A lease on the connection to use, and where it came from; dispose it when the command
        /// ends. Throws <see cref="NotConnectedException"/> with what to do when there is neither
        /// a session nor a complete set of variables.
        /// </summary>
        public static StreamingConnection.Lease Resolve(out string source)
        {
            lock (Gate)
            {
                var connected = CurrentSlot().Connected;
                source = connected != null ? ConnectSource : EnvironmentSource;
                // Under the lock, the session's own connections are never closed: the lease holds.
                return (connected ?? FromEnvironment()).TryLease()
                       ?? throw new InvalidOperationException("The session's connection was closed while still in use.");
            }
        }

        /// <summary>This runspace's slot, made on first use; its connection closes with the runspace.</summary>
        private static RunspaceSlot CurrentSlot()
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null)
            {
                return ByRunspace.GetValue(NoRunspace, _ => new RunspaceSlot());
            }

            return ByRunspace.GetValue(runspace, key =>
            {
                var slot = new RunspaceSlot();
                // A runspace that closes without Disconnect-EnosStreaming (a finished ThreadJob)
                // must not leave its sockets open until the garbage collector finds them.
                runspace.StateChanged += (sender, e) =>
                {
                    if (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken)
                    {
                        lock (Gate)
                        {
                            slot.Connected?.Dispose();
                            slot.Connected = null;
                        }
                    }
                };
                return slot;
            });
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
            if (string.IsNullOrWhiteSpace(gateway))
            {
                missing.Add(GatewayUrlVariable);
            }

            if (string.IsNullOrWhiteSpace(orgId))
            {
                missing.Add(OrgIdVariable);
            }

            if (string.IsNullOrWhiteSpace(appKey))
            {
                missing.Add(AppKeyVariable);
            }

            if (string.IsNullOrEmpty(appSecret))
            {
                missing.Add(AppSecretVariable);
            }

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

            // Shown without any user:password@ it may hold.
            var shownGateway = StreamingConnection.WithoutUserInfo(gateway!.Trim());
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

    /// <summary>One runspace's Connect-made connection.</summary>
    internal sealed class RunspaceSlot
    {
        public StreamingConnection? Connected { get; set; }
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
