using System.Reflection;

namespace EnOS.Streaming.Loading
{
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
