using BpfSharp.Cli.Kernel;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Verification;

/// <summary>The bpf() harness: its pure parts everywhere, its kernel round trips where bpf() works.</summary>
public class KernelVerifierTests
{
    static readonly CaseMap Array16 = new(new MapSpec("map0", MapType.Array, 4, 16, 1));

    [Fact]
    public void Map_lddws_get_the_descriptor_of_the_map_they_name_and_keep_their_offset()
    {
        var code = Assembler.Assemble("lddw %r1, map:1\nlddw %r2, mapvalue:0+8\nlddw %r3, 5\nexit");
        var patched = KernelVerifier.PatchMaps(code, [40, 41]);
        Assert.Equal((41, 0), (patched[0].Imm, patched[1].Imm));
        Assert.Equal((40, 8), (patched[2].Imm, patched[3].Imm));
        Assert.Equal(5, patched[4].Imm);
        Assert.Equal(code[0].Src, patched[0].Src);
    }

    [Fact]
    public void A_program_naming_a_map_it_does_not_have_is_a_fault_of_the_case() =>
        Assert.Contains("insn 0 names map 2 but the case has 1 map(s)",
            Assert.Throws<InvalidOperationException>(() => KernelVerifier.PatchMaps(Assembler.Assemble("lddw %r1, map:2\nexit"), [3])).Message);

    [Fact]
    public void Functions_start_at_0_and_at_call_and_callback_targets_inside_the_program()
    {
        var code = Assembler.Assemble("call local f\nlddw %r2, func:g\ncall local +100\nexit\nf:\nexit\ng:\nexit");
        Assert.Equal([0, 5, 6], KernelVerifier.FunctionStarts(code));
    }

    [Fact]
    public void The_func_info_BTF_has_a_header_int_proto_and_one_static_func_per_function()
    {
        var btf = FuncInfoBtf.Build(2);
        Assert.Equal([0x9f, 0xeb, 1, 0], btf[..4]);
        // 3 types of 12 bytes + the int's 4-byte encoding; strings "\0int\0f0\0f1\0"
        Assert.Equal(24 + 4 * 12 + 4 + 11, btf.Length);
        Assert.Equal([0, 0, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0, 4, 0, 0, 0], FuncInfoBtf.FuncInfo([0, 7]));
    }

    [FactRequires(Requirement.BpfSyscall)]
    public void The_kernel_accepts_a_program_that_sets_r0()
    {
        var verdict = KernelVerifier.Load(ProgramType.SocketFilter, [], Assembler.Assemble("mov %r0, 0\nexit"));
        Assert.True(verdict.Accepted, verdict.Log);
        Assert.Equal(0, verdict.Errno);
        Assert.Contains("processed 2 insns", verdict.Log);
    }

    [FactRequires(Requirement.BpfSyscall)]
    public void The_kernel_refuses_a_program_that_reads_r0_unset_with_EACCES()
    {
        var verdict = KernelVerifier.Load(ProgramType.SocketFilter, [], Assembler.Assemble("exit"));
        Assert.Equal((false, 13, "EACCES", "R0 !read_ok", 0), (verdict.Accepted, verdict.Errno, verdict.ErrnoName, verdict.Message, verdict.Instruction));
    }

    [FactRequires(Requirement.BpfSyscall)]
    public void The_kernel_sees_the_maps_through_their_descriptors()
    {
        var code = Assembler.Assemble("""
            lddw %r1, mapvalue:0+8
            ldxdw %r0, [%r1+8]
            exit
            """);
        var verdict = KernelVerifier.Load(ProgramType.SocketFilter, [Array16], code);
        Assert.Equal("R1 min value is outside of the allowed memory range", verdict.Message);
        Assert.Equal(["invalid access to map value, value_size=16 off=16 size=8"], verdict.Details);
    }

    [FactRequires(Requirement.BpfSyscall)]
    public void A_log_too_big_for_the_first_buffer_is_fetched_again_whole()
    {
        // 10 iterations of a counted loop print about 30 lines: far more than 64 bytes.
        var code = Assembler.Assemble("mov %r0, 0\nmov %r1, 10\nloop:\nadd %r0, %r1\nsub %r1, 1\njne %r1, 0, loop\nexit");
        var verdict = KernelVerifier.Load(ProgramType.SocketFilter, [], code, firstLogSize: 64);
        Assert.True(verdict.Accepted, verdict.Log);
        Assert.True(verdict.Log.Length > 64, verdict.Log);
        Assert.Contains("processed", verdict.Log.Split('\n').Last(l => l.Length > 0));
    }

    [FactRequires(Requirement.BpfSyscall)]
    public void A_map_the_kernel_cannot_create_is_a_fault_of_the_case() =>
        Assert.Contains("BPF_MAP_CREATE",
            Assert.Throws<InvalidOperationException>(() => KernelVerifier.Load(ProgramType.SocketFilter,
                [new CaseMap(new MapSpec("map0", MapType.Ringbuf, 0, 0, 1000))], Assembler.Assemble("mov %r0, 0\nexit"))).Message);

    [FactRequires(Requirement.BpfSyscall)]
    public void The_minimal_BTF_loads()
    {
        var fd = BpfSyscall.BtfLoad(FuncInfoBtf.Build(3), out var log);
        Assert.True(fd >= 0, $"{ErrnoNames.Name(-fd)}: {log}");
        BpfSyscall.Close(fd);
    }
}
