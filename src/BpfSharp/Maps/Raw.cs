using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Maps;

/// <summary>Unmanaged values as the bytes a map stores, and back (native byte order, as the kernel's maps).</summary>
internal static class Raw
{
    public static ReadOnlySpan<byte> Bytes<T>(ref readonly T value) where T : unmanaged =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));

    public static T Read<T>(ReadOnlySpan<byte> bytes) where T : unmanaged => MemoryMarshal.Read<T>(bytes);

    public static int Size<T>() where T : unmanaged => Unsafe.SizeOf<T>();
}
