using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace EnOS.Streaming.Session
{
    /// <summary>
    /// The connection a command uses: the one Connect-EnosStreaming made in this runspace, else the
    /// process's one from the ENOS_* variables. Commands hold theirs with a lease, so a connection
    /// replaced or forgotten closes only when the last command using it ends.
    /// </summary>
    /// <remarks>
    /// Kept per runspace (Runspace.DefaultRunspace, set on the thread that runs its pipelines and tab
    /// completion), weakly, so a runspace gone takes its entry along: the runspace is the unit users
    /// think in (a ThreadJob, a -Parallel body). A binary module has no session state of its own, and
    /// the cmdlet's SessionState is the caller's scope, which differs between scripts of one runspace.
    /// </remarks>
    internal static class ModuleSession
    {
        public const string ConnectSource = "Connect-EnosStreaming";
        public const string EnvironmentSource = "Environment";

        private static readonly object Gate = new object();
        // Each runspace's Connect-made connection (null: none).
        private static readonly ConditionalWeakTable<object, StrongBox<StreamingConnection?>> ByRunspace =
            new ConditionalWeakTable<object, StrongBox<StreamingConnection?>>();

        // Commands run on a thread with no default runspace only when hosted oddly; they share this.
        private static readonly object NoRunspace = new object();

        // The same for the whole process, so a runbook's commands share one token.
        private static readonly EnvironmentConnection FromEnvironment = new EnvironmentConnection();

        /// <summary>
        /// Makes the connection this runspace's, or with null (a failed Connect) lets this runspace's
        /// go, so nothing that follows acts on its organisation. Returns the one replaced (closing once
        /// no command uses it: only its gateway and organisation are of use), or null.
        /// </summary>
        public static StreamingConnection? Connect(StreamingConnection? connection)
        {
            lock (Gate)
            {
                var slot = CurrentSlot();
                var replaced = slot.Value;
                replaced?.Dispose();
                slot.Value = connection;
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
                    return CurrentSlot().Value != null;
                }
            }
        }

        /// <summary>A lease on the connection in use without making one (tab completion stays quiet), or null.</summary>
        public static StreamingConnection.Lease? LeaseActive()
        {
            lock (Gate)
            {
                // The environment's connection only while the variables still say the same.
                var connection = CurrentSlot().Value ?? FromEnvironment.Existing;
                return connection?.TryLease();
            }
        }

        /// <summary>A lease on the connection to use, and where it came from; <see cref="NotConnectedException"/> says what to do without one.</summary>
        public static StreamingConnection.Lease Resolve(out string source)
        {
            lock (Gate)
            {
                var connected = CurrentSlot().Value;
                source = connected != null ? ConnectSource : EnvironmentSource;
                // Under the lock, the session's own connections are never closed: the lease holds.
                return (connected ?? FromEnvironment.GetOrCreate()).TryLease()
                       ?? throw new InvalidOperationException("The session's connection was closed while still in use.");
            }
        }

        /// <summary>This runspace's slot, made on first use; its connection closes with the runspace.</summary>
        private static StrongBox<StreamingConnection?> CurrentSlot()
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null)
            {
                return ByRunspace.GetValue(NoRunspace, _ => new StrongBox<StreamingConnection?>());
            }

            return ByRunspace.GetValue(runspace, key =>
            {
                var slot = new StrongBox<StreamingConnection?>();
                // A runspace that closes without Disconnect-EnosStreaming (a finished ThreadJob)
                // must not leave its sockets open until the garbage collector finds them.
                runspace.StateChanged += (sender, e) =>
                {
                    if (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken)
                    {
                        lock (Gate)
                        {
                            slot.Value?.Dispose();
                            slot.Value = null;
                        }
                    }
                };
                return slot;
            });
        }
    }
}
