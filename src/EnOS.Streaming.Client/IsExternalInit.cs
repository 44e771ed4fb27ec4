namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 code declare init-only setters; internal, so it never meets the runtime's own.</summary>
    internal static class IsExternalInit
    {
    }
}
