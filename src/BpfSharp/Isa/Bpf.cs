namespace BpfSharp.Isa;

/// <summary>The kernel's opcode field values (include/uapi/linux/bpf_common.h and bpf.h), spelled as there so
/// they can be grepped. An opcode byte is <c>| op (4) | source (1) | class (3) |</c> for arithmetic and jumps and
/// <c>| mode (3) | size (2) | class (3) |</c> for loads and stores (RFC 9669 §3).</summary>
internal static class Bpf
{
    // Instruction classes (low 3 bits).
    public const byte LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07;

    // Source operand (bit 3): immediate or register. For BPF_END the same bit picks the byte order.
    public const byte K = 0x00, X = 0x08, TO_LE = 0x00, TO_BE = 0x08;

    // Arithmetic operations (high 4 bits).
    public const byte ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70,
        NEG = 0x80, MOD = 0x90, XOR = 0xa0, MOV = 0xb0, ARSH = 0xc0, END = 0xd0;

    // Jump operations (high 4 bits).
    public const byte JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40, JNE = 0x50, JSGT = 0x60, JSGE = 0x70,
        CALL = 0x80, EXIT = 0x90, JLT = 0xa0, JLE = 0xb0, JSLT = 0xc0, JSLE = 0xd0, JCOND = 0xe0;

    // BPF_JCOND's condition, in src: the only one is may_goto.
    public const byte MAY_GOTO = 0;

    /// <summary>How many times one frame's <c>may_goto</c>s fall through before they jump (the kernel's
    /// <c>BPF_MAX_LOOPS</c>, the count its interpreter and JITs without a timed may_goto use).</summary>
    public const long MaxLoops = 8 * 1024 * 1024;

    // Load/store size (bits 3-4) and mode (high 3 bits).
    public const byte W = 0x00, H = 0x08, B = 0x10, DW = 0x18;
    public const byte IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, MEMSX = 0x80, ATOMIC = 0xc0;

    // The kernel's internal load modes (BPF_PROBE_MEM, BPF_PROBE_MEMSX), never valid in an object: the loader gives
    // them to loads the verifier proved go through a BTF pointer, which read 0 where nothing is mapped.
    public const byte PROBE_MEM = 0x20, PROBE_MEMSX = 0x40;

    // Atomic operations, carried in imm.
    public const int FETCH = 0x01, XCHG = 0xe0 | FETCH, CMPXCHG = 0xf0 | FETCH;

    // Ordered loads and stores (Linux 6.15): dst = *(src + off) with acquire, *(dst + off) = src with release; the only
    // atomics of 8 and 16 bits.
    public const int LOAD_ACQ = 0x100, STORE_REL = 0x110;

    // lddw source-register values (BPF_PSEUDO_*).
    public const byte PSEUDO_MAP_FD = 1, PSEUDO_MAP_VALUE = 2, PSEUDO_BTF_ID = 3, PSEUDO_FUNC = 4,
        PSEUDO_MAP_IDX = 5, PSEUDO_MAP_IDX_VALUE = 6;

    // call source-register values.
    public const byte PSEUDO_CALL = 1, PSEUDO_KFUNC_CALL = 2;

    public const int MaxStackSize = 512;
    public const int MaxCallFrames = 8;
    public const int MaxTailCalls = 33;

    public static byte Class(byte opcode) => (byte)(opcode & 0x07);
    public static byte Op(byte opcode) => (byte)(opcode & 0xf0);
    public static byte Source(byte opcode) => (byte)(opcode & 0x08);
    public static byte Size(byte opcode) => (byte)(opcode & 0x18);
    public static byte Mode(byte opcode) => (byte)(opcode & 0xe0);

    /// <summary>Whether an opcode is one of the internal probe loads (<see cref="PROBE_MEM"/>).</summary>
    public static bool IsProbeLoad(byte opcode) => Class(opcode) == LDX && Mode(opcode) is PROBE_MEM or PROBE_MEMSX;

    /// <summary>The probe form of a load (MEM becomes PROBE_MEM, MEMSX PROBE_MEMSX); the plain load of a probe one.</summary>
    public static byte ProbeForm(byte opcode) => (byte)(opcode & ~0xe0 | Mode(opcode) switch
    {
        MEM => PROBE_MEM,
        MEMSX => PROBE_MEMSX,
        PROBE_MEM => MEM,
        PROBE_MEMSX => MEMSX,
        _ => throw new ArgumentException($"0x{opcode:x2} is not a load"),
    });

    /// <summary>Bytes moved by a load or store of the given size field.</summary>
    public static int SizeInBytes(byte opcode) => Size(opcode) switch { W => 4, H => 2, B => 1, _ => 8 };
}
