using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Loading;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Helpers;

/// <summary>Packet helpers in test runs of the helper fixtures (tests/fixtures/helpers; the kernel scenarios replay
/// the same objects): skb loads and stores, XDP frame moves, redirect verdicts and what RunResult reports.</summary>
public class PacketHelperTests
{
    static readonly byte[] Counting = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

    static BpfObject Load(string fixture) => BpfObject.Load(Fixtures.PathOf("helpers/" + fixture));

    static RunResult Run(BpfObject obj, string program, byte[]? data = null, ulong cookie = 0) =>
        obj.Programs[program].Run(new RunOptions { Data = data ?? Counting, AttachCookie = cookie });

    [Fact]
    public void A_tc_store_is_visible_to_direct_reads_and_leaves_the_length_alone() // bpf_skb_store_bytes
    {
        using var obj = Load("skb.o");
        var result = Run(obj, "store_then_read");
        Assert.Equal(64u << 8 | 0x7e, result.ReturnValue);
        Assert.Equal([.. Counting[..2], 0x7e, .. Counting[3..]], result.DataOut);
    }

    [Fact]
    public void Socket_filters_count_offsets_from_the_network_header_and_relative_loads_from_the_named_one()
    {
        using var obj = Load("skb.o");
        var got = obj.Maps["skb.bss"];
        Assert.Equal(0u, Run(obj, "sock_load").ReturnValue);
        Assert.Equal(Counting[14..18], got.Lookup(new byte[4])![..4]);
        Assert.Equal(0u, Run(obj, "sock_load_mac_relative").ReturnValue);
        Assert.Equal(Counting[..4], got.Lookup(new byte[4])![..4]);
        Assert.Equal(50u, Run(obj, "sock_len").ReturnValue);
    }

    [Fact]
    public void A_failed_load_zeroes_the_buffer_and_returns_EFAULT()
    {
        using var obj = Load("skb.o");
        Assert.Equal(unchecked((uint)-14), Run(obj, "load_past_end").ReturnValue);
        Assert.Equal([.. new byte[8], .. Enumerable.Repeat((byte)0xaa, 8)], obj.Maps["skb.bss"].Lookup(new byte[4])!);
    }

    [Fact]
    public void Xdp_moves_update_the_context_pointers_the_program_reloads()
    {
        using var obj = Load("xdp.o");
        var pushed = Run(obj, "push_header");
        Assert.Equal(68u, pushed.ReturnValue);                           // data_end - data after the push
        Assert.Equal([.. "HDR!"u8, .. Counting], pushed.DataOut);
        var appended = Run(obj, "append");
        Assert.Equal(70u, appended.ReturnValue);
        Assert.Equal([.. Counting, 0xee, 0, 0xff, 0, 0, 0], appended.DataOut);
    }

    [Fact]
    public void Metadata_moves_with_the_head_and_shows_in_data_out()
    {
        using var obj = Load("xdp.o");
        var result = Run(obj, "meta_then_head");
        Assert.Equal(8u, result.ReturnValue);
        Assert.Equal([0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc4, 0xc5, 0xc6, 0xc7, .. Counting], result.DataOut);
    }

    [Theory]
    [InlineData("head_grow_max", 0)]
    [InlineData("head_grow_past_max", -22)]     // 256 bytes of headroom less 40 for xdp_frame
    [InlineData("head_shrink_past_eth", -22)]   // 14 bytes must remain
    [InlineData("tail_grow_max", 0)]            // to 3776 bytes from the page start
    [InlineData("tail_grow_past_max", -22)]
    [InlineData("meta_unaligned", -13)]
    [InlineData("meta_216", 0)]
    [InlineData("meta_past_data", -22)]
    [InlineData("meta_blocks_head", -22)]
    public void Xdp_limits_are_the_kernels(string program, int returned)
    {
        using var obj = Load("xdp.o");
        Assert.Equal(unchecked((uint)returned), Run(obj, program).ReturnValue);
    }

    [Fact]
    public void A_tc_redirect_is_reported_with_its_ifindex_and_flags()
    {
        using var obj = Load("redirect.o");
        Assert.Equal((7u, new RedirectTarget(1, 0)), (Run(obj, "egress").ReturnValue, Run(obj, "egress").Redirect));
        Assert.Equal(new RedirectTarget(1, 1), Run(obj, "ingress").Redirect);
        var shot = Run(obj, "bad_flags");
        Assert.Equal((2u, (RedirectTarget?)null), (shot.ReturnValue, shot.Redirect));
    }

    [Fact]
    public void An_xdp_redirect_answers_XDP_REDIRECT_or_XDP_ABORTED()
    {
        using var obj = Load("xdp.o");
        var redirected = Run(obj, "redirect");
        Assert.Equal((4u, (RedirectTarget?)new RedirectTarget(1, 0)), (redirected.ReturnValue, redirected.Redirect));
        var aborted = Run(obj, "redirect_bad_flags");
        Assert.Equal((0u, (RedirectTarget?)null), (aborted.ReturnValue, aborted.Redirect));
    }

    /// <summary>redirect.o with its first <c>call bpf_redirect</c> (in egress) turned into a call of
    /// <paramref name="helper"/>, which then gets r1 = 1, r2 = 0.</summary>
    static BpfObject WithCall(HelperId helper)
    {
        var bytes = Fixtures.Bytes("helpers/redirect.o");
        byte[] call = [0x85, 0, 0, 0, (byte)HelperId.Redirect, 0, 0, 0];
        var at = bytes.AsSpan().IndexOf(call);
        bytes[at + 4] = (byte)helper;
        // The patched call passes r1 = 1 where these helpers want the context: only an unverified load takes it.
        return BpfObject.Load(ObjectSpec.Read(bytes, "redirect"), new LoadOptions { Verify = false });
    }

    [Fact]
    public void The_attach_cookie_of_a_test_run_comes_from_its_options()
    {
        using var obj = WithCall(HelperId.GetAttachCookie);
        Assert.Equal(0u, Run(obj, "egress").ReturnValue);
        Assert.Equal(0xabcdu, Run(obj, "egress", cookie: 0xabcd).ReturnValue);
    }

    [Fact]
    public void Func_ip_is_the_programs_first_instruction()
    {
        using var obj = WithCall(HelperId.GetFuncIp);
        var program = obj.Programs["egress"];
        Assert.Equal(program.Executable.StartAddress, Run(obj, "egress").R0);
    }

    [Fact]
    public void Packet_helpers_stop_a_program_that_has_no_packet()
    {
        using var h = new HelperHarness();
        Assert.Throws<BpfRuntimeException>(() => h.Call(HelperId.SkbLoadBytes, 0, 0, h.Zeroed(4), 4));
        Assert.Throws<BpfRuntimeException>(() => h.Call(HelperId.XdpAdjustHead, 0, 0));
    }
}
