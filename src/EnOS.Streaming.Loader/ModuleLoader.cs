using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace EnOS.Streaming.Loading
{
    /// <summary>
    /// Runs when the module is imported, before the cmdlet assembly loads, and makes the assemblies
    /// in the module's Dependencies folder resolvable: isolated in their own load context on
    /// PowerShell 7, through the plain AssemblyResolve path on Windows PowerShell 5.1 (which has
    /// no load contexts). Nothing is undone on Remove-Module: other runspaces of the process may
    /// still use the module's types, so the resolvers stay.
    /// </summary>
    public sealed class ModuleLoader : IModuleAssemblyInitializer
    {
        private static readonly object Gate = new object();
        private static bool _installed;

        internal static string ModuleFolder { get; } = Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location) ?? ".";

        internal static string DependencyFolder { get; } = Path.Combine(ModuleFolder, "Dependencies");

        public void OnImport()
        {
            lock (Gate)
            {
                // A second import of the same module in this process (another runspace) reuses it.
                if (_installed)
                {
                    return;
                }

                if (IsDotNetFramework)
                {
                    FrameworkDependencyResolver.Install(ModuleFolder, DependencyFolder);
                }
                else
                {
                    // PowerShell 7.0-7.3 run on .NET older than the Microsoft.Extensions and
                    // System.Text.Json versions the module needs; say so now, not with an obscure
                    // FileNotFoundException at the first command.
                    if (Environment.Version.Major < 8)
                    {
                        throw new PlatformNotSupportedException(
                            $"EnOS.Streaming needs PowerShell 7.4 or later (on .NET 8 or later), or Windows PowerShell 5.1; "
                            + $"this PowerShell runs on .NET {Environment.Version}. Update PowerShell and import the module again.");
                    }

                    // In its own method, so the JIT meets AssemblyLoadContext only on .NET (Core).
                    InstallIsolated();
                }

                _installed = true;
            }
        }

        private static bool IsDotNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void InstallIsolated() => DependencyLoadContext.Install(DependencyFolder);
    }
}
