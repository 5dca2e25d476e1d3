namespace BpfSharp.Verification.State;

/// <summary>How the kernel's verifier spells register kinds in its log and messages (<c>reg_type_str</c>).</summary>
internal static class RegisterKindNames
{
    /// <summary>'scalar', 'map_value_or_null', 'sock_common', ...</summary>
    public static string KernelName(this RegisterKind kind) => kind switch
    {
        RegisterKind.NotInit => "?",
        RegisterKind.Scalar => "scalar",
        RegisterKind.Context => "ctx",
        RegisterKind.Stack => "fp",
        RegisterKind.MapPointer => "map_ptr",
        RegisterKind.MapPointerOrNull => "map_ptr_or_null",
        RegisterKind.MapValue => "map_value",
        RegisterKind.MapValueOrNull => "map_value_or_null",
        RegisterKind.MapKey => "map_key",
        RegisterKind.Packet => "pkt",
        RegisterKind.PacketEnd => "pkt_end",
        RegisterKind.PacketMeta => "pkt_meta",
        RegisterKind.Memory => "mem",
        RegisterKind.MemoryOrNull => "mem_or_null",
        RegisterKind.ReadOnlyMemory => "rdonly_mem",
        RegisterKind.ReadOnlyMemoryOrNull => "rdonly_mem_or_null",
        RegisterKind.BtfObject => "trusted_ptr_",
        RegisterKind.BtfObjectOrNull => "ptr_or_null_",
        RegisterKind.UntrustedMemory => "rdonly_untrusted_mem",
        RegisterKind.Function => "func",
        RegisterKind.Sock => "sock",
        RegisterKind.SockOrNull => "sock_or_null",
        RegisterKind.SockCommon => "sock_common",
        RegisterKind.SockCommonOrNull => "sock_common_or_null",
        RegisterKind.TcpSock => "tcp_sock",
        RegisterKind.TcpSockOrNull => "tcp_sock_or_null",
        RegisterKind.XdpSock => "xdp_sock",
        RegisterKind.BtfSocket => "ptr_",
        RegisterKind.BtfSocketOrNull => "ptr_or_null_",
        _ => kind.ToString(),
    };
}
