using BpfSharp.Helpers;
using static BpfSharp.Verification.ArgKind;

namespace BpfSharp.Verification;

/// <summary>The prototypes of the helpers BpfSharp provides, as the kernel declares them (<c>bpf_func_proto</c> in
/// kernel/bpf/helpers.c, kernel/trace/bpf_trace.c, net/core/filter.c). A helper a host registers without a prototype
/// gets no argument checks and an integer result: it must check what it reads itself, which
/// <see cref="Execution.Invocation.Memory"/> always does.</summary>
internal static class HelperPrototypes
{
    static readonly (Func<TracingTarget, bool>, string) Iterators =
        (t => t.Kind == TracingTarget.Attach.Iterator, "only BPF iterators (iter/ programs) write to a seq_file");
    static readonly (Func<TracingTarget, bool>, string) Trampolines =
        (t => t.HasTrampoline, "only fentry, fexit, fmod_ret and LSM programs see the traced function's arguments this way");

    static readonly Dictionary<HelperId, HelperPrototype> table = new()
    {
        [HelperId.MapLookupElem] = new("bpf_map_lookup_elem", ReturnKind.MapValueOrNull, MapPointer, MapKey) { PacketAccess = true },
        [HelperId.MapUpdateElem] = new("bpf_map_update_elem", ReturnKind.Integer, MapPointer, MapKey, MapValue, Anything) { PacketAccess = true },
        [HelperId.MapDeleteElem] = new("bpf_map_delete_elem", ReturnKind.Integer, MapPointer, MapKey) { PacketAccess = true },
        [HelperId.MapPushElem] = new("bpf_map_push_elem", ReturnKind.Integer, MapPointer, MapValue, Anything) { PacketAccess = true },
        [HelperId.MapPopElem] = new("bpf_map_pop_elem", ReturnKind.Integer, MapPointer, UninitMapValue) { PacketAccess = true },
        [HelperId.MapPeekElem] = new("bpf_map_peek_elem", ReturnKind.Integer, MapPointer, UninitMapValue) { PacketAccess = true },
        [HelperId.MapLookupPercpuElem] = new("bpf_map_lookup_percpu_elem", ReturnKind.MapValueOrNull, MapPointer, MapKey, Anything) { PacketAccess = true },
        [HelperId.TailCall] = new("bpf_tail_call", ReturnKind.Void, ArgKind.Context, MapPointer, Anything),
        [HelperId.KtimeGetNs] = new("bpf_ktime_get_ns", ReturnKind.Integer),
        [HelperId.KtimeGetBootNs] = new("bpf_ktime_get_boot_ns", ReturnKind.Integer),
        [HelperId.KtimeGetCoarseNs] = new("bpf_ktime_get_coarse_ns", ReturnKind.Integer),
        [HelperId.Jiffies64] = new("bpf_jiffies64", ReturnKind.Integer),
        [HelperId.GetPrandomU32] = new("bpf_get_prandom_u32", ReturnKind.Integer),
        [HelperId.GetSmpProcessorId] = new("bpf_get_smp_processor_id", ReturnKind.Integer),
        [HelperId.GetNumaNodeId] = new("bpf_get_numa_node_id", ReturnKind.Integer),
        [HelperId.GetCurrentPidTgid] = new("bpf_get_current_pid_tgid", ReturnKind.Integer),
        [HelperId.GetNsCurrentPidTgid] = new("bpf_get_ns_current_pid_tgid", ReturnKind.Integer, ArgKind.Anything, ArgKind.Anything, WritableMemory, Size),
        [HelperId.GetCurrentUidGid] = new("bpf_get_current_uid_gid", ReturnKind.Integer),
        [HelperId.GetCurrentComm] = new("bpf_get_current_comm", ReturnKind.Integer, WritableMemory, Size),
        [HelperId.GetCurrentTask] = new("bpf_get_current_task", ReturnKind.Integer),
        [HelperId.GetCurrentTaskBtf] = new("bpf_get_current_task_btf", ReturnKind.BtfObject),
        [HelperId.TracePrintk] = new("bpf_trace_printk", ReturnKind.Integer, ReadableMemory, Size), // the kernel checks only these two
        [HelperId.TraceVprintk] = new("bpf_trace_vprintk", ReturnKind.Integer, ReadableMemory, Size, ReadableMemoryOrNull, SizeOrZero),
        [HelperId.SkbGetTunnelKey] = new("bpf_skb_get_tunnel_key", ReturnKind.Integer, ArgKind.Context, WritableMemory, Size, Anything),
        [HelperId.SkbSetTunnelKey] = new("bpf_skb_set_tunnel_key", ReturnKind.Integer, ArgKind.Context, ReadableMemory, Size, Anything),
        [HelperId.SkbGetTunnelOpt] = new("bpf_skb_get_tunnel_opt", ReturnKind.Integer, ArgKind.Context, WritableMemory, Size),
        [HelperId.SkbSetTunnelOpt] = new("bpf_skb_set_tunnel_opt", ReturnKind.Integer, ArgKind.Context, ReadableMemory, Size),
        [HelperId.GetLocalStorage] = new("bpf_get_local_storage", ReturnKind.MapValue, MapPointer, Anything),
        [HelperId.SeqPrintf] = new("bpf_seq_printf", ReturnKind.Integer, BtfPointer, ReadableMemory, Size, ReadableMemoryOrNull, SizeOrZero)
            { BtfStruct = "seq_file", Attached = Iterators },
        [HelperId.SeqWrite] = new("bpf_seq_write", ReturnKind.Integer, BtfPointer, ReadableMemory, SizeOrZero) { BtfStruct = "seq_file", Attached = Iterators },
        [HelperId.GetTaskStack] = new("bpf_get_task_stack", ReturnKind.Integer, BtfPointer, WritableMemory, SizeOrZero, Anything)
            { BtfStruct = "task_struct", ReturnsFilledLength = true },
        [HelperId.Snprintf] = new("bpf_snprintf", ReturnKind.Integer, WritableMemoryOrNull, SizeOrZero, ConstString, ReadableMemoryOrNull, SizeOrZero),
        [HelperId.ProbeRead] = new("bpf_probe_read", ReturnKind.Integer, WritableMemory, SizeOrZero, Anything),
        [HelperId.ProbeReadKernel] = new("bpf_probe_read_kernel", ReturnKind.Integer, WritableMemory, SizeOrZero, Anything),
        [HelperId.GetFuncArg] = new("bpf_get_func_arg", ReturnKind.Integer, ArgKind.Context, Anything, WritableLong) { Attached = Trampolines },
        [HelperId.GetFuncRet] = new("bpf_get_func_ret", ReturnKind.Integer, ArgKind.Context, WritableLong) { Attached = Trampolines },
        [HelperId.GetFuncArgCnt] = new("bpf_get_func_arg_cnt", ReturnKind.Integer, ArgKind.Context) { Attached = Trampolines },
        [HelperId.CopyFromUser] = new("bpf_copy_from_user", ReturnKind.Integer, WritableMemory, SizeOrZero, Anything) { MightSleep = true },
        [HelperId.ProbeReadUser] = new("bpf_probe_read_user", ReturnKind.Integer, WritableMemory, SizeOrZero, Anything),
        [HelperId.ProbeReadStr] = new("bpf_probe_read_str", ReturnKind.Integer, WritableMemory, SizeOrZero, Anything) { ReturnsFilledLength = true },
        [HelperId.ProbeReadKernelStr] = new("bpf_probe_read_kernel_str", ReturnKind.Integer, WritableMemory, SizeOrZero, Anything) { ReturnsFilledLength = true },
        [HelperId.ProbeReadUserStr] = new("bpf_probe_read_user_str", ReturnKind.Integer, WritableMemory, SizeOrZero, Anything) { ReturnsFilledLength = true },
        [HelperId.Strtol] = new("bpf_strtol", ReturnKind.Integer, ReadableMemory, Size, Anything, WritableLong),
        [HelperId.Strtoul] = new("bpf_strtoul", ReturnKind.Integer, ReadableMemory, Size, Anything, WritableLong),
        [HelperId.Strncmp] = new("bpf_strncmp", ReturnKind.Integer, ReadableMemory, Size, ConstString),
        [HelperId.RingbufOutput] = new("bpf_ringbuf_output", ReturnKind.Integer, MapPointer, ReadableMemory, SizeOrZero, Anything),
        [HelperId.RingbufReserve] = new("bpf_ringbuf_reserve", ReturnKind.AllocatedMemoryOrNull, MapPointer, AllocationSize, Anything),
        [HelperId.RingbufSubmit] = new("bpf_ringbuf_submit", ReturnKind.Void, RingBufRecord, Anything),
        [HelperId.RingbufDiscard] = new("bpf_ringbuf_discard", ReturnKind.Void, RingBufRecord, Anything),
        [HelperId.RingbufQuery] = new("bpf_ringbuf_query", ReturnKind.Integer, MapPointer, Anything),
        [HelperId.RingbufReserveDynptr] = new("bpf_ringbuf_reserve_dynptr", ReturnKind.Integer, MapPointer, Anything, Anything, NewRingbufDynptr),
        [HelperId.RingbufSubmitDynptr] = new("bpf_ringbuf_submit_dynptr", ReturnKind.Void, ReleasedDynptr, Anything),
        [HelperId.RingbufDiscardDynptr] = new("bpf_ringbuf_discard_dynptr", ReturnKind.Void, ReleasedDynptr, Anything),
        [HelperId.DynptrFromMem] = new("bpf_dynptr_from_mem", ReturnKind.Integer, WritableMemory, SizeOrZero, Anything, NewLocalDynptr),
        [HelperId.DynptrRead] = new("bpf_dynptr_read", ReturnKind.Integer, WritableMemory, SizeOrZero, Dynptr, Anything, Anything),
        [HelperId.DynptrWrite] = new("bpf_dynptr_write", ReturnKind.Integer, Dynptr, Anything, ReadableMemory, SizeOrZero, Anything),
        [HelperId.DynptrData] = new("bpf_dynptr_data", ReturnKind.DynptrMemoryOrNull, Dynptr, Anything, AllocationSize),
        [HelperId.PerfEventOutput] = new("bpf_perf_event_output", ReturnKind.Integer, ArgKind.Context, MapPointer, Anything, ReadableMemory, SizeOrZero),
        [HelperId.Loop] = new("bpf_loop", ReturnKind.Integer, Anything, Function, StackOrNull, Anything),
        [HelperId.ForEachMapElem] = new("bpf_for_each_map_elem", ReturnKind.Integer, MapPointer, Function, StackOrNull, Anything),
        [HelperId.SkbLoadBytes] = new("bpf_skb_load_bytes", ReturnKind.Integer, ArgKind.Context, Anything, WritableMemory, Size),
        [HelperId.SkbLoadBytesRelative] = new("bpf_skb_load_bytes_relative", ReturnKind.Integer, ArgKind.Context, Anything, WritableMemory, Size, Anything),
        [HelperId.CsumUpdate] = new("bpf_csum_update", ReturnKind.Integer, ArgKind.Context, Anything),
        [HelperId.SkbPullData] = new("bpf_skb_pull_data", ReturnKind.Integer, ArgKind.Context, Anything) { ChangesPacket = true },
        [HelperId.SkbStoreBytes] = new("bpf_skb_store_bytes", ReturnKind.Integer, ArgKind.Context, Anything, ReadableMemory, Size, Anything) { ChangesPacket = true },
        [HelperId.SkbVlanPush] = new("bpf_skb_vlan_push", ReturnKind.Integer, ArgKind.Context, Anything, Anything) { ChangesPacket = true },
        [HelperId.SkbVlanPop] = new("bpf_skb_vlan_pop", ReturnKind.Integer, ArgKind.Context) { ChangesPacket = true },
        [HelperId.SkbChangeTail] = new("bpf_skb_change_tail", ReturnKind.Integer, ArgKind.Context, Anything, Anything) { ChangesPacket = true },
        [HelperId.SkbAdjustRoom] = new("bpf_skb_adjust_room", ReturnKind.Integer, ArgKind.Context, Anything, Anything, Anything) { ChangesPacket = true },
        [HelperId.SkbChangeHead] = new("bpf_skb_change_head", ReturnKind.Integer, ArgKind.Context, Anything, Anything) { ChangesPacket = true },
        [HelperId.L3CsumReplace] = new("bpf_l3_csum_replace", ReturnKind.Integer, ArgKind.Context, Anything, Anything, Anything, Anything) { ChangesPacket = true },
        [HelperId.L4CsumReplace] = new("bpf_l4_csum_replace", ReturnKind.Integer, ArgKind.Context, Anything, Anything, Anything, Anything) { ChangesPacket = true },
        [HelperId.CsumDiff] = new("bpf_csum_diff", ReturnKind.Integer, ReadableMemoryOrNull, SizeOrZero, ReadableMemoryOrNull, SizeOrZero, Anything) { PacketAccess = true },
        [HelperId.Redirect] = new("bpf_redirect", ReturnKind.Integer, Anything, Anything),
        [HelperId.RedirectMap] = new("bpf_redirect_map", ReturnKind.Integer, MapPointer, Anything, Anything),
        [HelperId.XdpAdjustHead] = new("bpf_xdp_adjust_head", ReturnKind.Integer, ArgKind.Context, Anything) { ChangesPacket = true },
        [HelperId.XdpAdjustTail] = new("bpf_xdp_adjust_tail", ReturnKind.Integer, ArgKind.Context, Anything) { ChangesPacket = true },
        [HelperId.XdpLoadBytes] = new("bpf_xdp_load_bytes", ReturnKind.Integer, ArgKind.Context, Anything, WritableMemory, Size),
        [HelperId.XdpStoreBytes] = new("bpf_xdp_store_bytes", ReturnKind.Integer, ArgKind.Context, Anything, ReadableMemory, Size),
        [HelperId.XdpAdjustMeta] = new("bpf_xdp_adjust_meta", ReturnKind.Integer, ArgKind.Context, Anything) { ChangesPacket = true },
        [HelperId.GetFuncIp] = new("bpf_get_func_ip", ReturnKind.Integer, ArgKind.Context),
        [HelperId.GetAttachCookie] = new("bpf_get_attach_cookie", ReturnKind.Integer, ArgKind.Context),
        [HelperId.SpinLock] = new("bpf_spin_lock", ReturnKind.Void, ArgKind.SpinLock),
        [HelperId.SpinUnlock] = new("bpf_spin_unlock", ReturnKind.Void, ArgKind.SpinLock),
        [HelperId.TimerInit] = new("bpf_timer_init", ReturnKind.Integer, ArgKind.Timer, MapPointer, Anything),
        [HelperId.TimerSetCallback] = new("bpf_timer_set_callback", ReturnKind.Integer, ArgKind.Timer, Function),
        [HelperId.TimerStart] = new("bpf_timer_start", ReturnKind.Integer, ArgKind.Timer, Anything, Anything),
        [HelperId.TimerCancel] = new("bpf_timer_cancel", ReturnKind.Integer, ArgKind.Timer),
        [HelperId.GetHashRecalc] = new("bpf_get_hash_recalc", ReturnKind.Integer, ArgKind.Context),
        [HelperId.GetSocketCookie] = new("bpf_get_socket_cookie", ReturnKind.Integer, ArgKind.Context),
        [HelperId.GetNetnsCookie] = new("bpf_get_netns_cookie", ReturnKind.Integer, ContextOrNull),
        [HelperId.SockMapUpdate] = new("bpf_sock_map_update", ReturnKind.Integer, ArgKind.Context, MapPointer, MapKey, Anything),
        [HelperId.SockHashUpdate] = new("bpf_sock_hash_update", ReturnKind.Integer, ArgKind.Context, MapPointer, MapKey, Anything),
        [HelperId.GetStackid] = new("bpf_get_stackid", ReturnKind.Integer, ArgKind.Context, MapPointer, Anything),
        [HelperId.GetStack] = new("bpf_get_stack", ReturnKind.Integer, ArgKind.Context, WritableMemory, SizeOrZero, Anything) { ReturnsFilledLength = true },
        [HelperId.Setsockopt] = new("bpf_setsockopt", ReturnKind.Integer, ArgKind.Context, Anything, Anything, ReadableMemory, Size),
        [HelperId.Getsockopt] = new("bpf_getsockopt", ReturnKind.Integer, ArgKind.Context, Anything, Anything, WritableMemory, Size),
        [HelperId.CheckMtu] = new("bpf_check_mtu", ReturnKind.Integer, ArgKind.Context, Anything, WritableInt, Anything, Anything),
        [HelperId.SkLookupTcp] = new("bpf_sk_lookup_tcp", ReturnKind.SockOrNull, ArgKind.Context, ReadableMemory, Size, Anything, Anything) { Acquires = true, PacketAccess = true },
        [HelperId.SkLookupUdp] = new("bpf_sk_lookup_udp", ReturnKind.SockOrNull, ArgKind.Context, ReadableMemory, Size, Anything, Anything) { Acquires = true, PacketAccess = true },
        [HelperId.SkcLookupTcp] = new("bpf_skc_lookup_tcp", ReturnKind.SockCommonOrNull, ArgKind.Context, ReadableMemory, Size, Anything, Anything) { Acquires = true, PacketAccess = true },
        [HelperId.SkRelease] = new("bpf_sk_release", ReturnKind.Integer, ReleasedSock),
        [HelperId.SkFullsock] = new("bpf_sk_fullsock", ReturnKind.SockOrNull, ArgKind.SockCommon) { CastsArgument = true },
        [HelperId.TcpSock] = new("bpf_tcp_sock", ReturnKind.TcpSockOrNull, ArgKind.SockCommon) { CastsArgument = true },
        // The socket seen as the kernel's struct tcp_sock, keeping the argument's reference (is_ptr_cast_function).
        [HelperId.SkcToTcpSock] = new("bpf_skc_to_tcp_sock", ReturnKind.BtfTcpSockOrNull, ArgKind.BtfSockCommon) { CastsArgument = true },
        [HelperId.GetListenerSock] = new("bpf_get_listener_sock", ReturnKind.SockOrNull, ArgKind.SockCommon),
    };

    /// <summary>The prototype of a helper id; a generic one for helpers BpfSharp does not describe.</summary>
    public static HelperPrototype For(int id, string? registeredName) =>
        table.TryGetValue((HelperId)id, out var prototype) ? prototype
            : new HelperPrototype(registeredName ?? $"helper {id}", ReturnKind.Integer);

    /// <summary>Whether BpfSharp describes this helper.</summary>
    public static bool Knows(int id) => table.ContainsKey((HelperId)id);
}
