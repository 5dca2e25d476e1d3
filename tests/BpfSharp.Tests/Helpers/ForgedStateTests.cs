using BpfSharp.Abi;
using System.Buffers.Binary;
using BpfSharp.Execution;
using BpfSharp.Helpers;

namespace BpfSharp.Tests.Helpers;

/// <summary>The verifier keeps programs off the bytes of a dynptr or a bits iterator; an unverified program can write
/// them. Whatever it writes, the helpers and kfuncs then reach only memory the run may touch, and stop the program
/// otherwise: they never read or write through a forged pointer.</summary>
public class ForgedStateTests
{
    /// <summary>A <c>struct bpf_dynptr_kern</c>: data, size with the type above it, offset.</summary>
    static byte[] Dynptr(ulong data, uint size, DynptrType type, uint offset = 0)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, data);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), size | (uint)type << 24);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), offset);
        return bytes;
    }

    [Fact]
    public void A_local_dynptr_over_memory_the_run_may_not_touch_faults()
    {
        using var h = new HelperHarness();
        var dynptr = h.Alloc(Dynptr(0x1000, 64, DynptrType.Local));
        var destination = h.Zeroed(8);
        Assert.Throws<MemoryFaultException>(() => h.Call(HelperId.DynptrRead, destination, 8, dynptr, 0, 0));
        Assert.Throws<MemoryFaultException>(() => h.Call(HelperId.DynptrWrite, dynptr, 0, destination, 8, 0));
    }

    [Fact]
    public void A_local_dynptr_over_allowed_memory_reads_it()
    {
        using var h = new HelperHarness();
        var data = h.Alloc([1, 2, 3, 4, 5, 6, 7, 8]);
        var dynptr = h.Alloc(Dynptr(data, 8, DynptrType.Local, offset: 4));
        var destination = h.Zeroed(4);
        Assert.Equal(0, h.CallSigned(HelperId.DynptrRead, destination, 4, dynptr, 0, 0));
        Assert.Equal([5, 6, 7, 8], h.Bytes(destination, 4).ToArray());
    }

    [Fact]
    public void A_packet_dynptr_without_a_packet_stops_the_program()
    {
        using var h = new HelperHarness();
        var dynptr = h.Alloc(Dynptr(0x1000, 64, DynptrType.Skb));
        var destination = h.Zeroed(8);
        var fault = Assert.Throws<BpfRuntimeException>(() => h.Call(HelperId.DynptrRead, destination, 8, dynptr, 0, 0));
        Assert.Contains("needs an skb", fault.Message);
    }

    [Fact]
    public void Submitting_a_dynptr_that_is_no_ring_buffer_record_stops_the_program()
    {
        using var h = new HelperHarness();
        var data = h.Zeroed(32);
        var local = h.Alloc(Dynptr(data, 16, DynptrType.Local));
        var ringbuf = h.Alloc(Dynptr(data + 8, 16, DynptrType.Ringbuf));
        Assert.Throws<BpfRuntimeException>(() => h.Call(HelperId.RingbufSubmitDynptr, local, 0));
        Assert.Throws<BpfRuntimeException>(() => h.Call(HelperId.RingbufSubmitDynptr, ringbuf, 0));
    }

    [Fact]
    public void A_bits_iterator_with_a_forged_handle_stops_the_program()
    {
        using var h = new HelperHarness();
        var state = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(state, 0xdead_beef);
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(8), 128);
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(12), -1);
        var iterator = h.Alloc(state);
        var next = Kfuncs.Find("bpf_iter_bits_next")!.Function;
        var fault = Assert.Throws<BpfRuntimeException>(() => next(h.Invocation, iterator, 0, 0, 0, 0));
        Assert.Contains("not one bpf_iter_bits_new made in this run", fault.Message);
    }
}
