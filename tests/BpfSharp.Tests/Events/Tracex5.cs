using System.Runtime.InteropServices;
using BpfSharp.Loading;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Events;

/// <summary>examples/tracex5 for this machine's syscall numbers.</summary>
public static class Tracex5
{
    public static string ObjectPath => Path.Combine(Requirements.RepositoryRoot, "examples", "tracex5",
        RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "tracex5.arm64.o" : "tracex5.o");

    /// <summary>The handlers in their slots, by hand (the CLI does it by section name).</summary>
    public static void InstallHandlers(BpfObject obj)
    {
        var progs = obj.Maps["progs"].AsProgramArray();
        progs[HostSyscalls.Read] = obj.Programs["handle_read"];
        progs[HostSyscalls.Write] = obj.Programs["handle_write"];
        progs[HostSyscalls.Openat] = obj.Programs["handle_openat"];
    }
}
