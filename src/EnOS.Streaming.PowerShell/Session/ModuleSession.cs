using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

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
        public const string ConnectSource = "Connect-EnosStreaming";
        public const string EnvironmentSource = "Environment";

        private static readonly object Gate = new object();
        private static readonly ConditionalWeakTable<object, RunspaceSlot> ByRunspace = new ConditionalWeakTable<object, RunspaceSlot>();

        // Commands run on a thread with no default runspace only when hosted oddly; they share this.
        private static readonly object NoRunspace = new object();

        // The same for the whole process, so a runbook's commands share one token.
        private static readonly EnvironmentConnection FromEnvironment = new EnvironmentConnection();

        /// <summary>
        /// Makes the connection this runspace's, or with null (a failed Connect-EnosStreaming) lets
        /// this runspace's go, so that nothing that follows acts on the organisation it had. The one
        /// replaced closes once no command uses it. Returns it (closing: only its gateway and
        /// organisation are of use), or null. The ENOS_* connection is not this runspace's to close.
        /// </summary>
        public static StreamingConnection? Connect(StreamingConnection? connection)
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
        /// white space at either end, says which and what is there; otherwise null.
        /// </summary>
        public static string? EnvironmentCredentialProblem() => HasConnection ? null : EnvironmentConnection.CredentialProblem();

        /// <summary>
        /// Forgets this runspace's connection; true if it had one. Other runspaces' connections are
        /// untouched, and commands still running keep theirs until they end. The one made from the
        /// ENOS_* variables is the process's, used by every runspace without a connection of its
        /// own: not this runspace's to close (it is made again when the variables change).
        /// </summary>
        public static bool Disconnect() => Connect(null) != null;

        /// <summary>
        /// A lease on the connection in use, without making one: for tab completion, which must
        /// stay quiet. Null when there is none.
        /// </summary>
        public static StreamingConnection.Lease? LeaseActive()
        {
            lock (Gate)
            {
                // The environment's connection only while the variables still say the same.
                var connection = CurrentSlot().Connected ?? FromEnvironment.Existing;
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
                return (connected ?? FromEnvironment.GetOrCreate()).TryLease()
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

        /// <summary>One runspace's Connect-made connection.</summary>
        private sealed class RunspaceSlot
        {
            public StreamingConnection? Connected { get; set; }
        }
    }
}
