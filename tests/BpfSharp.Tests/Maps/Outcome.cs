using BpfSharp.Maps;

namespace BpfSharp.Tests.Maps;

/// <summary>What a .NET map operation did, as the kernel oracle reports it: null for success, else the errno name.</summary>
public static class Outcome
{
    public static string? Of(Action operation)
    {
        try
        {
            operation();
            return null;
        }
        catch (MapException e)
        {
            return e.ErrnoName;
        }
    }

    /// <summary>The errno name a .NET call threw; fails if it did not throw.</summary>
    public static string Errno(Action operation) => Of(operation) ?? throw new Xunit.Sdk.XunitException("expected a MapException");

    public static byte[] U32(uint value) => BitConverter.GetBytes(value);

    public static byte[] U64(ulong value) => BitConverter.GetBytes(value);
}
