namespace BpfSharp.Tests.Support;

/// <summary>Something outside the repository a test needs; without it the test is skipped with the reason.</summary>
public enum Requirement
{
    /// <summary><c>../shared</c> beside the repository (the conformance suite, examples, bench workloads).</summary>
    Shared,
    /// <summary><c>llvm-objdump-19</c> on PATH.</summary>
    LlvmObjdump19,
    /// <summary><c>clang-19</c> on PATH.</summary>
    Clang19,
    /// <summary>Root with a working <c>bpf()</c> syscall and <c>bpftool</c>: the live kernel as oracle.</summary>
    Kernel,
    /// <summary>A working <c>bpf()</c> syscall (Linux x86-64 or arm64, root or CAP_BPF): the kernel's verifier as
    /// oracle, without bpftool.</summary>
    BpfSyscall,
    /// <summary>Linux x86-64 or arm64 where this process may ptrace the children it starts (not refused by
    /// kernel.yama.ptrace_scope, a container's seccomp profile or a missing CAP_SYS_PTRACE): the syscall tracer.</summary>
    Ptrace,
    /// <summary><c>python3</c> on PATH (a quick way to start a process with threads).</summary>
    Python3,
    /// <summary><c>BPFSHARP_RECORD_KERNEL=1</c> in the environment: rewrite recorded kernel answers in the source tree
    /// (tests/BpfSharp.Tests/Verification/record-kernel-verdicts.sh sets it).</summary>
    RecordKernelVerdicts,
    /// <summary><c>tcpdump</c> on PATH and root, to capture loopback traffic.</summary>
    Tcpdump,
    /// <summary><c>tmux</c> on PATH, to drive a terminal front end as a user would.</summary>
    Tmux,
    /// <summary>SIGINT not ignored by this process: a shell starts background jobs (<c>cmd &amp;</c>) with SIGINT ignored,
    /// their children inherit that, and a command started so rightly ignores Ctrl-C.</summary>
    Sigint,
    /// <summary>At least two processors, hence two execution slots: a replay on two cores.</summary>
    TwoCpus,
}
