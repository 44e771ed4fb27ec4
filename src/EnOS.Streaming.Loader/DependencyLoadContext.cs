using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace EnOS.Streaming.Loading
{
    /// <summary>
    /// The load context of the module's own dependencies on PowerShell 7 (the PowerShellEditorServices
    /// pattern). PowerShell loads the cmdlets into its default context; their one dependency, the
    /// client assembly, is not there, so the default context asks its Resolving event, and this
    /// class answers from its own context. Everything the client needs then resolves here first:
    /// the Microsoft.Extensions.* assemblies we ship always load from Dependencies, whatever version
    /// another module put in the default context; the runtime's own assemblies come from the default.
    /// </summary>
    internal sealed class DependencyLoadContext(string folder) : AssemblyLoadContext
    {
        private const string EntryAssembly = "EnOS.Streaming.Client";

        public static void Install(string folder)
        {
            var isolated = new DependencyLoadContext(folder);
            Default.Resolving += (context, name) =>
                string.Equals(name.Name, EntryAssembly, StringComparison.Ordinal) ? isolated.LoadFromAssemblyName(name) : null;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Only what is ours to isolate: the client and the Microsoft.Extensions.* it brings.
            // System.* (System.Text.Json, Microsoft.Bcl.*) are part of the runtime PowerShell runs
            // on, in versions at least as high as we ask for: the default context serves them.
            var name = assemblyName.Name ?? string.Empty;
            if (!name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                && !string.Equals(name, EntryAssembly, StringComparison.Ordinal))
            {
                return null;
            }

            var path = Path.Combine(folder, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
