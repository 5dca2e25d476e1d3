namespace BpfSharp.Isa;

/// <summary>Every opcode byte RFC 9669 defines, composed from the kernel's field names (<see cref="Bpf"/>).</summary>
public enum Opcode : byte
{
    /// <summary>Not an instruction by itself: the opcode of <c>lddw</c>'s second slot.</summary>
    Invalid = 0x00,
    /// <summary><c>add32 dst, imm</c></summary>
    Add32Imm = Bpf.ALU | Bpf.K | Bpf.ADD, // 0x04
    /// <summary><c>add32 dst, src</c></summary>
    Add32Reg = Bpf.ALU | Bpf.X | Bpf.ADD, // 0x0c
    /// <summary><c>sub32 dst, imm</c></summary>
    Sub32Imm = Bpf.ALU | Bpf.K | Bpf.SUB, // 0x14
    /// <summary><c>sub32 dst, src</c></summary>
    Sub32Reg = Bpf.ALU | Bpf.X | Bpf.SUB, // 0x1c
    /// <summary><c>mul32 dst, imm</c></summary>
    Mul32Imm = Bpf.ALU | Bpf.K | Bpf.MUL, // 0x24
    /// <summary><c>mul32 dst, src</c></summary>
    Mul32Reg = Bpf.ALU | Bpf.X | Bpf.MUL, // 0x2c
    /// <summary><c>div32 dst, imm</c></summary>
    Div32Imm = Bpf.ALU | Bpf.K | Bpf.DIV, // 0x34
    /// <summary><c>div32 dst, src</c></summary>
    Div32Reg = Bpf.ALU | Bpf.X | Bpf.DIV, // 0x3c
    /// <summary><c>or32 dst, imm</c></summary>
    Or32Imm = Bpf.ALU | Bpf.K | Bpf.OR, // 0x44
    /// <summary><c>or32 dst, src</c></summary>
    Or32Reg = Bpf.ALU | Bpf.X | Bpf.OR, // 0x4c
    /// <summary><c>and32 dst, imm</c></summary>
    And32Imm = Bpf.ALU | Bpf.K | Bpf.AND, // 0x54
    /// <summary><c>and32 dst, src</c></summary>
    And32Reg = Bpf.ALU | Bpf.X | Bpf.AND, // 0x5c
    /// <summary><c>lsh32 dst, imm</c></summary>
    Lsh32Imm = Bpf.ALU | Bpf.K | Bpf.LSH, // 0x64
    /// <summary><c>lsh32 dst, src</c></summary>
    Lsh32Reg = Bpf.ALU | Bpf.X | Bpf.LSH, // 0x6c
    /// <summary><c>rsh32 dst, imm</c></summary>
    Rsh32Imm = Bpf.ALU | Bpf.K | Bpf.RSH, // 0x74
    /// <summary><c>rsh32 dst, src</c></summary>
    Rsh32Reg = Bpf.ALU | Bpf.X | Bpf.RSH, // 0x7c
    /// <summary><c>mod32 dst, imm</c></summary>
    Mod32Imm = Bpf.ALU | Bpf.K | Bpf.MOD, // 0x94
    /// <summary><c>mod32 dst, src</c></summary>
    Mod32Reg = Bpf.ALU | Bpf.X | Bpf.MOD, // 0x9c
    /// <summary><c>xor32 dst, imm</c></summary>
    Xor32Imm = Bpf.ALU | Bpf.K | Bpf.XOR, // 0xa4
    /// <summary><c>xor32 dst, src</c></summary>
    Xor32Reg = Bpf.ALU | Bpf.X | Bpf.XOR, // 0xac
    /// <summary><c>mov32 dst, imm</c></summary>
    Mov32Imm = Bpf.ALU | Bpf.K | Bpf.MOV, // 0xb4
    /// <summary><c>mov32 dst, src</c></summary>
    Mov32Reg = Bpf.ALU | Bpf.X | Bpf.MOV, // 0xbc
    /// <summary><c>arsh32 dst, imm</c></summary>
    Arsh32Imm = Bpf.ALU | Bpf.K | Bpf.ARSH, // 0xc4
    /// <summary><c>arsh32 dst, src</c></summary>
    Arsh32Reg = Bpf.ALU | Bpf.X | Bpf.ARSH, // 0xcc
    /// <summary><c>neg32 dst</c></summary>
    Neg32 = Bpf.ALU | Bpf.K | Bpf.NEG, // 0x84
    /// <summary><c>add64 dst, imm</c></summary>
    Add64Imm = Bpf.ALU64 | Bpf.K | Bpf.ADD, // 0x07
    /// <summary><c>add64 dst, src</c></summary>
    Add64Reg = Bpf.ALU64 | Bpf.X | Bpf.ADD, // 0x0f
    /// <summary><c>sub64 dst, imm</c></summary>
    Sub64Imm = Bpf.ALU64 | Bpf.K | Bpf.SUB, // 0x17
    /// <summary><c>sub64 dst, src</c></summary>
    Sub64Reg = Bpf.ALU64 | Bpf.X | Bpf.SUB, // 0x1f
    /// <summary><c>mul64 dst, imm</c></summary>
    Mul64Imm = Bpf.ALU64 | Bpf.K | Bpf.MUL, // 0x27
    /// <summary><c>mul64 dst, src</c></summary>
    Mul64Reg = Bpf.ALU64 | Bpf.X | Bpf.MUL, // 0x2f
    /// <summary><c>div64 dst, imm</c></summary>
    Div64Imm = Bpf.ALU64 | Bpf.K | Bpf.DIV, // 0x37
    /// <summary><c>div64 dst, src</c></summary>
    Div64Reg = Bpf.ALU64 | Bpf.X | Bpf.DIV, // 0x3f
    /// <summary><c>or64 dst, imm</c></summary>
    Or64Imm = Bpf.ALU64 | Bpf.K | Bpf.OR, // 0x47
    /// <summary><c>or64 dst, src</c></summary>
    Or64Reg = Bpf.ALU64 | Bpf.X | Bpf.OR, // 0x4f
    /// <summary><c>and64 dst, imm</c></summary>
    And64Imm = Bpf.ALU64 | Bpf.K | Bpf.AND, // 0x57
    /// <summary><c>and64 dst, src</c></summary>
    And64Reg = Bpf.ALU64 | Bpf.X | Bpf.AND, // 0x5f
    /// <summary><c>lsh64 dst, imm</c></summary>
    Lsh64Imm = Bpf.ALU64 | Bpf.K | Bpf.LSH, // 0x67
    /// <summary><c>lsh64 dst, src</c></summary>
    Lsh64Reg = Bpf.ALU64 | Bpf.X | Bpf.LSH, // 0x6f
    /// <summary><c>rsh64 dst, imm</c></summary>
    Rsh64Imm = Bpf.ALU64 | Bpf.K | Bpf.RSH, // 0x77
    /// <summary><c>rsh64 dst, src</c></summary>
    Rsh64Reg = Bpf.ALU64 | Bpf.X | Bpf.RSH, // 0x7f
    /// <summary><c>mod64 dst, imm</c></summary>
    Mod64Imm = Bpf.ALU64 | Bpf.K | Bpf.MOD, // 0x97
    /// <summary><c>mod64 dst, src</c></summary>
    Mod64Reg = Bpf.ALU64 | Bpf.X | Bpf.MOD, // 0x9f
    /// <summary><c>xor64 dst, imm</c></summary>
    Xor64Imm = Bpf.ALU64 | Bpf.K | Bpf.XOR, // 0xa7
    /// <summary><c>xor64 dst, src</c></summary>
    Xor64Reg = Bpf.ALU64 | Bpf.X | Bpf.XOR, // 0xaf
    /// <summary><c>mov64 dst, imm</c></summary>
    Mov64Imm = Bpf.ALU64 | Bpf.K | Bpf.MOV, // 0xb7
    /// <summary><c>mov64 dst, src</c></summary>
    Mov64Reg = Bpf.ALU64 | Bpf.X | Bpf.MOV, // 0xbf
    /// <summary><c>arsh64 dst, imm</c></summary>
    Arsh64Imm = Bpf.ALU64 | Bpf.K | Bpf.ARSH, // 0xc7
    /// <summary><c>arsh64 dst, src</c></summary>
    Arsh64Reg = Bpf.ALU64 | Bpf.X | Bpf.ARSH, // 0xcf
    /// <summary><c>neg64 dst</c></summary>
    Neg64 = Bpf.ALU64 | Bpf.K | Bpf.NEG, // 0x87
    /// <summary><c>le16/32/64 dst (to little-endian)</c></summary>
    Le = Bpf.ALU | Bpf.TO_LE | Bpf.END, // 0xd4
    /// <summary><c>be16/32/64 dst (to big-endian)</c></summary>
    Be = Bpf.ALU | Bpf.TO_BE | Bpf.END, // 0xdc
    /// <summary><c>bswap16/32/64 dst (unconditional, v4)</c></summary>
    Bswap = Bpf.ALU64 | Bpf.K | Bpf.END, // 0xd7
    /// <summary><c>goto +off</c></summary>
    Ja = Bpf.JMP | Bpf.K | Bpf.JA, // 0x05
    /// <summary><c>jeq dst, imm, +off</c></summary>
    JeqImm = Bpf.JMP | Bpf.K | Bpf.JEQ, // 0x15
    /// <summary><c>jeq dst, src, +off</c></summary>
    JeqReg = Bpf.JMP | Bpf.X | Bpf.JEQ, // 0x1d
    /// <summary><c>jgt dst, imm, +off</c></summary>
    JgtImm = Bpf.JMP | Bpf.K | Bpf.JGT, // 0x25
    /// <summary><c>jgt dst, src, +off</c></summary>
    JgtReg = Bpf.JMP | Bpf.X | Bpf.JGT, // 0x2d
    /// <summary><c>jge dst, imm, +off</c></summary>
    JgeImm = Bpf.JMP | Bpf.K | Bpf.JGE, // 0x35
    /// <summary><c>jge dst, src, +off</c></summary>
    JgeReg = Bpf.JMP | Bpf.X | Bpf.JGE, // 0x3d
    /// <summary><c>jset dst, imm, +off</c></summary>
    JsetImm = Bpf.JMP | Bpf.K | Bpf.JSET, // 0x45
    /// <summary><c>jset dst, src, +off</c></summary>
    JsetReg = Bpf.JMP | Bpf.X | Bpf.JSET, // 0x4d
    /// <summary><c>jne dst, imm, +off</c></summary>
    JneImm = Bpf.JMP | Bpf.K | Bpf.JNE, // 0x55
    /// <summary><c>jne dst, src, +off</c></summary>
    JneReg = Bpf.JMP | Bpf.X | Bpf.JNE, // 0x5d
    /// <summary><c>jsgt dst, imm, +off</c></summary>
    JsgtImm = Bpf.JMP | Bpf.K | Bpf.JSGT, // 0x65
    /// <summary><c>jsgt dst, src, +off</c></summary>
    JsgtReg = Bpf.JMP | Bpf.X | Bpf.JSGT, // 0x6d
    /// <summary><c>jsge dst, imm, +off</c></summary>
    JsgeImm = Bpf.JMP | Bpf.K | Bpf.JSGE, // 0x75
    /// <summary><c>jsge dst, src, +off</c></summary>
    JsgeReg = Bpf.JMP | Bpf.X | Bpf.JSGE, // 0x7d
    /// <summary><c>jlt dst, imm, +off</c></summary>
    JltImm = Bpf.JMP | Bpf.K | Bpf.JLT, // 0xa5
    /// <summary><c>jlt dst, src, +off</c></summary>
    JltReg = Bpf.JMP | Bpf.X | Bpf.JLT, // 0xad
    /// <summary><c>jle dst, imm, +off</c></summary>
    JleImm = Bpf.JMP | Bpf.K | Bpf.JLE, // 0xb5
    /// <summary><c>jle dst, src, +off</c></summary>
    JleReg = Bpf.JMP | Bpf.X | Bpf.JLE, // 0xbd
    /// <summary><c>jslt dst, imm, +off</c></summary>
    JsltImm = Bpf.JMP | Bpf.K | Bpf.JSLT, // 0xc5
    /// <summary><c>jslt dst, src, +off</c></summary>
    JsltReg = Bpf.JMP | Bpf.X | Bpf.JSLT, // 0xcd
    /// <summary><c>jsle dst, imm, +off</c></summary>
    JsleImm = Bpf.JMP | Bpf.K | Bpf.JSLE, // 0xd5
    /// <summary><c>jsle dst, src, +off</c></summary>
    JsleReg = Bpf.JMP | Bpf.X | Bpf.JSLE, // 0xdd
    /// <summary><c>call helper (src 0), local function (src 1) or kfunc (src 2)</c></summary>
    Call = Bpf.JMP | Bpf.K | Bpf.CALL, // 0x85
    /// <summary><c>call through a register (not supported by Linux)</c></summary>
    Callx = Bpf.JMP | Bpf.X | Bpf.CALL, // 0x8d
    /// <summary><c>return r0</c></summary>
    Exit = Bpf.JMP | Bpf.K | Bpf.EXIT, // 0x95
    /// <summary><c>may_goto +off</c>: falls through while the frame's loop budget lasts, then jumps (bpf_experimental.h's
    /// <c>cond_break</c> and <c>can_loop</c>; Linux 6.9)</summary>
    MayGoto = Bpf.JMP | Bpf.K | Bpf.JCOND, // 0xe5
    /// <summary><c>gotol +imm (v4)</c></summary>
    Ja32 = Bpf.JMP32 | Bpf.K | Bpf.JA, // 0x06
    /// <summary><c>jeq32 dst, imm, +off</c></summary>
    Jeq32Imm = Bpf.JMP32 | Bpf.K | Bpf.JEQ, // 0x16
    /// <summary><c>jeq32 dst, src, +off</c></summary>
    Jeq32Reg = Bpf.JMP32 | Bpf.X | Bpf.JEQ, // 0x1e
    /// <summary><c>jgt32 dst, imm, +off</c></summary>
    Jgt32Imm = Bpf.JMP32 | Bpf.K | Bpf.JGT, // 0x26
    /// <summary><c>jgt32 dst, src, +off</c></summary>
    Jgt32Reg = Bpf.JMP32 | Bpf.X | Bpf.JGT, // 0x2e
    /// <summary><c>jge32 dst, imm, +off</c></summary>
    Jge32Imm = Bpf.JMP32 | Bpf.K | Bpf.JGE, // 0x36
    /// <summary><c>jge32 dst, src, +off</c></summary>
    Jge32Reg = Bpf.JMP32 | Bpf.X | Bpf.JGE, // 0x3e
    /// <summary><c>jset32 dst, imm, +off</c></summary>
    Jset32Imm = Bpf.JMP32 | Bpf.K | Bpf.JSET, // 0x46
    /// <summary><c>jset32 dst, src, +off</c></summary>
    Jset32Reg = Bpf.JMP32 | Bpf.X | Bpf.JSET, // 0x4e
    /// <summary><c>jne32 dst, imm, +off</c></summary>
    Jne32Imm = Bpf.JMP32 | Bpf.K | Bpf.JNE, // 0x56
    /// <summary><c>jne32 dst, src, +off</c></summary>
    Jne32Reg = Bpf.JMP32 | Bpf.X | Bpf.JNE, // 0x5e
    /// <summary><c>jsgt32 dst, imm, +off</c></summary>
    Jsgt32Imm = Bpf.JMP32 | Bpf.K | Bpf.JSGT, // 0x66
    /// <summary><c>jsgt32 dst, src, +off</c></summary>
    Jsgt32Reg = Bpf.JMP32 | Bpf.X | Bpf.JSGT, // 0x6e
    /// <summary><c>jsge32 dst, imm, +off</c></summary>
    Jsge32Imm = Bpf.JMP32 | Bpf.K | Bpf.JSGE, // 0x76
    /// <summary><c>jsge32 dst, src, +off</c></summary>
    Jsge32Reg = Bpf.JMP32 | Bpf.X | Bpf.JSGE, // 0x7e
    /// <summary><c>jlt32 dst, imm, +off</c></summary>
    Jlt32Imm = Bpf.JMP32 | Bpf.K | Bpf.JLT, // 0xa6
    /// <summary><c>jlt32 dst, src, +off</c></summary>
    Jlt32Reg = Bpf.JMP32 | Bpf.X | Bpf.JLT, // 0xae
    /// <summary><c>jle32 dst, imm, +off</c></summary>
    Jle32Imm = Bpf.JMP32 | Bpf.K | Bpf.JLE, // 0xb6
    /// <summary><c>jle32 dst, src, +off</c></summary>
    Jle32Reg = Bpf.JMP32 | Bpf.X | Bpf.JLE, // 0xbe
    /// <summary><c>jslt32 dst, imm, +off</c></summary>
    Jslt32Imm = Bpf.JMP32 | Bpf.K | Bpf.JSLT, // 0xc6
    /// <summary><c>jslt32 dst, src, +off</c></summary>
    Jslt32Reg = Bpf.JMP32 | Bpf.X | Bpf.JSLT, // 0xce
    /// <summary><c>jsle32 dst, imm, +off</c></summary>
    Jsle32Imm = Bpf.JMP32 | Bpf.K | Bpf.JSLE, // 0xd6
    /// <summary><c>jsle32 dst, src, +off</c></summary>
    Jsle32Reg = Bpf.JMP32 | Bpf.X | Bpf.JSLE, // 0xde
    /// <summary><c>dst = imm64 (two slots; src selects a pseudo source)</c></summary>
    Lddw = Bpf.LD | Bpf.IMM | Bpf.DW, // 0x18
    /// <summary><c>r0 = packet[imm] (W, legacy)</c></summary>
    LdAbsW = Bpf.LD | Bpf.ABS | Bpf.W, // 0x20
    /// <summary><c>r0 = packet[imm] (H, legacy)</c></summary>
    LdAbsH = Bpf.LD | Bpf.ABS | Bpf.H, // 0x28
    /// <summary><c>r0 = packet[imm] (B, legacy)</c></summary>
    LdAbsB = Bpf.LD | Bpf.ABS | Bpf.B, // 0x30
    /// <summary><c>r0 = packet[src + imm] (W, legacy)</c></summary>
    LdIndW = Bpf.LD | Bpf.IND | Bpf.W, // 0x40
    /// <summary><c>r0 = packet[src + imm] (H, legacy)</c></summary>
    LdIndH = Bpf.LD | Bpf.IND | Bpf.H, // 0x48
    /// <summary><c>r0 = packet[src + imm] (B, legacy)</c></summary>
    LdIndB = Bpf.LD | Bpf.IND | Bpf.B, // 0x50
    /// <summary><c>dst = *(W *)(src + off)</c></summary>
    LdxW = Bpf.LDX | Bpf.MEM | Bpf.W, // 0x61
    /// <summary><c>dst = *(H *)(src + off)</c></summary>
    LdxH = Bpf.LDX | Bpf.MEM | Bpf.H, // 0x69
    /// <summary><c>dst = *(B *)(src + off)</c></summary>
    LdxB = Bpf.LDX | Bpf.MEM | Bpf.B, // 0x71
    /// <summary><c>dst = *(DW *)(src + off)</c></summary>
    LdxDw = Bpf.LDX | Bpf.MEM | Bpf.DW, // 0x79
    /// <summary><c>dst = *(signed W *)(src + off) (v4)</c></summary>
    LdxsW = Bpf.LDX | Bpf.MEMSX | Bpf.W, // 0x81
    /// <summary><c>dst = *(signed H *)(src + off) (v4)</c></summary>
    LdxsH = Bpf.LDX | Bpf.MEMSX | Bpf.H, // 0x89
    /// <summary><c>dst = *(signed B *)(src + off) (v4)</c></summary>
    LdxsB = Bpf.LDX | Bpf.MEMSX | Bpf.B, // 0x91
    /// <summary><c>*(W *)(dst + off) = imm</c></summary>
    StW = Bpf.ST | Bpf.MEM | Bpf.W, // 0x62
    /// <summary><c>*(H *)(dst + off) = imm</c></summary>
    StH = Bpf.ST | Bpf.MEM | Bpf.H, // 0x6a
    /// <summary><c>*(B *)(dst + off) = imm</c></summary>
    StB = Bpf.ST | Bpf.MEM | Bpf.B, // 0x72
    /// <summary><c>*(DW *)(dst + off) = imm</c></summary>
    StDw = Bpf.ST | Bpf.MEM | Bpf.DW, // 0x7a
    /// <summary><c>*(W *)(dst + off) = src</c></summary>
    StxW = Bpf.STX | Bpf.MEM | Bpf.W, // 0x63
    /// <summary><c>*(H *)(dst + off) = src</c></summary>
    StxH = Bpf.STX | Bpf.MEM | Bpf.H, // 0x6b
    /// <summary><c>*(B *)(dst + off) = src</c></summary>
    StxB = Bpf.STX | Bpf.MEM | Bpf.B, // 0x73
    /// <summary><c>*(DW *)(dst + off) = src</c></summary>
    StxDw = Bpf.STX | Bpf.MEM | Bpf.DW, // 0x7b
    /// <summary><c>32-bit atomic operation selected by imm</c></summary>
    AtomicW = Bpf.STX | Bpf.ATOMIC | Bpf.W, // 0xc3
    /// <summary><c>64-bit atomic operation selected by imm</c></summary>
    AtomicDw = Bpf.STX | Bpf.ATOMIC | Bpf.DW, // 0xdb
    /// <summary><c>8-bit load-acquire or store-release, selected by imm</c></summary>
    AtomicB = Bpf.STX | Bpf.ATOMIC | Bpf.B, // 0xd3
    /// <summary><c>16-bit load-acquire or store-release, selected by imm</c></summary>
    AtomicH = Bpf.STX | Bpf.ATOMIC | Bpf.H, // 0xcb
}
