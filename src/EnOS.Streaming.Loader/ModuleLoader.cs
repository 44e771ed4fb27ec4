using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
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
        internal const string DependencyFolderName = "Dependencies";

        private static readonly object Gate = new object();
        private static bool _installed;

        internal static string ModuleFolder { get; } = Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location) ?? ".";

        internal static string DependencyFolder { get; } = Path.Combine(ModuleFolder, DependencyFolderName);

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

    /// <summary>
    /// Windows PowerShell 5.1: resolves what the GAC and the module folder do not have from
    /// Dependencies. The AssemblyResolve event is process-wide, so it answers narrowly: only for
    /// an assembly that ships in Dependencies, only at a version no newer than the one shipped
    /// (an older one is what binding redirects would give; a newer one we cannot give), and only
    /// when the request comes from one of the module's own assemblies. Any other module's or
    /// PowerShell's request is left to whoever else can answer it.
    /// </summary>
    internal sealed class FrameworkDependencyResolver
    {
        private readonly string[] _ownFolders;
        private readonly Dictionary<string, ShippedAssembly> _shipped;

        internal FrameworkDependencyResolver(IEnumerable<string> ownFolders, IEnumerable<ShippedAssembly> shipped)
        {
            _ownFolders = ownFolders.Select(Normalised).ToArray();
            _shipped = shipped.ToDictionary(a => a.Name.Name ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        }

        public static void Install(string moduleFolder, string dependencyFolder)
        {
            var resolver = new FrameworkDependencyResolver(new[] { moduleFolder, dependencyFolder }, ShippedIn(dependencyFolder));
            AppDomain.CurrentDomain.AssemblyResolve += (sender, args) =>
            {
                var path = resolver.Choose(args.Name, args.RequestingAssembly);
                return path == null ? null : Assembly.LoadFrom(path);
            };
        }

        /// <summary>The assemblies in the folder, read once (name, version, public key token).</summary>
        internal static IEnumerable<ShippedAssembly> ShippedIn(string folder)
        {
            if (!Directory.Exists(folder))
            {
                yield break;
            }

            foreach (var path in Directory.GetFiles(folder, "*.dll"))
            {
                AssemblyName name;
                try
                {
                    name = AssemblyName.GetAssemblyName(path);
                }
                catch (Exception exception) when (exception is BadImageFormatException || exception is IOException)
                {
                    continue;
                }

                yield return new ShippedAssembly(name, path);
            }
        }

        /// <summary>The file that answers the request, or null when it is not ours to answer.</summary>
        internal string? Choose(string requestedName, Assembly? requestingAssembly) =>
            Choose(requestedName, requestingAssembly == null || requestingAssembly.IsDynamic ? null : requestingAssembly.Location);

        internal string? Choose(string requestedName, string? requestingLocation)
        {
            if (string.IsNullOrEmpty(requestingLocation)
                || !_ownFolders.Contains(Normalised(Path.GetDirectoryName(requestingLocation) ?? string.Empty), StringComparer.OrdinalIgnoreCase))
            {
                return null;
            }

            AssemblyName requested;
            try
            {
                requested = new AssemblyName(requestedName);
            }
            catch (Exception exception) when (exception is ArgumentException || exception is FileLoadException)
            {
                return null;
            }

            if (!_shipped.TryGetValue(requested.Name ?? string.Empty, out var shipped)
                || (requested.Version != null && shipped.Name.Version != null && requested.Version > shipped.Name.Version))
            {
                return null;
            }

            // A request naming a public key token must name the shipped assembly's.
            var token = requested.GetPublicKeyToken();
            if (token != null && token.Length > 0 && !token.SequenceEqual(shipped.Name.GetPublicKeyToken() ?? Array.Empty<byte>()))
            {
                return null;
            }

            return shipped.Path;
        }

        private static string Normalised(string folder) =>
            Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
    }

    /// <summary>An assembly file in Dependencies and the identity it carries.</summary>
    internal sealed class ShippedAssembly
    {
        public ShippedAssembly(AssemblyName name, string path)
        {
            Name = name;
            Path = path;
        }

        public AssemblyName Name { get; }
        public string Path { get; }
    }
}
