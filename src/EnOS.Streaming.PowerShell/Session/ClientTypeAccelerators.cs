using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace EnOS.Streaming.Session
{
    /// <summary>
    /// On PowerShell 7 the client assembly lives in the module's own load context, and PowerShell
    /// does not resolve type names such as [EnOS.Streaming.Pipeline] there. Registering the
    /// client's public types as type accelerators under their full names (the technique
    /// about_Classes documents for exporting types) makes them usable in scripts again:
    /// [EnOS.Streaming.PipelineStatus]::Running, -is [EnOS.Streaming.Pipeline]. Only what users
    /// see is public (the output objects and their enums, the exceptions, the definition file's
    /// form); the types only the cmdlets use are internal, so they are not registered.
    /// </summary>
    public sealed class ClientTypeAccelerators : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly List<string> Registered = new List<string>();

        public void OnImport()
        {
            var accelerators = AcceleratorsType();
            if (accelerators == null)
            {
                return;
            }

            var add = accelerators.GetMethod("Add", new[] { typeof(string), typeof(Type) });
            var existing = (IDictionary<string, Type>?)accelerators.GetProperty("Get")?.GetValue(null);
            lock (Registered)
            {
                foreach (var type in typeof(Pipeline).Assembly.GetExportedTypes())
                {
                    var name = type.FullName!;
                    if (existing == null || !existing.ContainsKey(name))
                    {
                        add?.Invoke(null, new object[] { name, type });
                        Registered.Add(name);
                    }
                }
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            var remove = AcceleratorsType()?.GetMethod("Remove", new[] { typeof(string) });
            lock (Registered)
            {
                foreach (var name in Registered)
                {
                    remove?.Invoke(null, new object[] { name });
                }

                Registered.Clear();
            }
        }

        // Not public API, but stable since PowerShell 3 and the documented way to export types.
        private static Type? AcceleratorsType() =>
            typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
    }
}
