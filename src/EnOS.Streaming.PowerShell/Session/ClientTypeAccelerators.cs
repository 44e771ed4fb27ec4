using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace EnOS.Streaming.Session
{
    /// <summary>
    /// On PowerShell 7 the client lives in the module's own load context, where PowerShell does not
    /// resolve [EnOS.Streaming.Pipeline]; the client's public types, registered as type accelerators
    /// under their full names (as about_Classes documents for exporting types), work in scripts again.
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
