namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Lets netstandard2.0 code declare init-only setters (C# 9): the compiler needs this type, which
    /// only .NET 5 and later define. Internal, so it never meets the runtime's own.
    /// </summary>
    internal static class IsExternalInit
    {
    }
}
