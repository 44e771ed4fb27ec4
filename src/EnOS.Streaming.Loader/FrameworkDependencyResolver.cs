using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace EnOS.Streaming.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1: resolves what the GAC and the module folder do not have from
    /// Dependencies. The AssemblyResolve event is process-wide, so it answers narrowly: only for
    /// an assembly that ships in Dependencies, only at a version no newer than the one shipped
    /// (an older one is what binding redirects would give; a newer one we cannot give), and only
    /// when the request comes from one of the module's own assemblies. Any other module's or
    /// PowerShell's request is left to whoever else can answer it.
    /// </summary>
    internal sealed class FrameworkDependencyResolver(IEnumerable<string> ownFolders, IEnumerable<(AssemblyName Name, string Path)> shipped)
    {
        private readonly string[] _ownFolders = ownFolders.Select(Normalised).ToArray();
        private readonly Dictionary<string, (AssemblyName Name, string Path)> _shipped =
            shipped.ToDictionary(a => a.Name.Name ?? string.Empty, StringComparer.OrdinalIgnoreCase);

        public static void Install(string moduleFolder, string dependencyFolder)
        {
            var resolver = new FrameworkDependencyResolver(new[] { moduleFolder, dependencyFolder }, ShippedIn(dependencyFolder));
            AppDomain.CurrentDomain.AssemblyResolve += (sender, args) =>
                resolver.Choose(args.Name, args.RequestingAssembly) is { } path ? Assembly.LoadFrom(path) : null;
        }

        /// <summary>The assemblies in the folder and the identity each carries (name, version, public key token), read once.</summary>
        internal static IEnumerable<(AssemblyName Name, string Path)> ShippedIn(string folder)
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

                yield return (name, path);
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
}
