using System.Runtime.InteropServices;

namespace BpfSharp.Execution;

/// <summary>The libc calls that give the identity of the calling thread and process.</summary>
internal static partial class NativeIds
{
    [LibraryImport("libc", SetLastError = false)]
    internal static partial uint getuid();

    [LibraryImport("libc", SetLastError = false)]
    internal static partial uint getgid();

    [LibraryImport("libc", SetLastError = false)]
    internal static partial int gettid();
}
