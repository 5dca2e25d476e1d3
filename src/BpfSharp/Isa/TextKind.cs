namespace BpfSharp.Isa;

/// <summary>What a piece of disassembly text is, so that a host can colour it (as iced's <c>FormatterTextKind</c>).</summary>
internal enum TextKind : byte
{
    /// <summary>Spaces, tabs, line ends and punctuation.</summary>
    Text,
    /// <summary>A heading line: the file format line, <c>Disassembly of section tc:</c>.</summary>
    Heading,
    /// <summary>An instruction's slot index (<c>       5:</c>) or a label's address (<c>0000000000000010</c>).</summary>
    Address,
    /// <summary>The raw instruction bytes in hex.</summary>
    Bytes,
    /// <summary>A mnemonic or keyword: <c>if</c>, <c>goto</c>, <c>call</c>, <c>exit</c>, <c>lock</c>, <c>ll</c>,
    /// <c>be16</c>, <c>atomic_fetch_add</c>.</summary>
    Mnemonic,
    /// <summary>An operator: <c>=</c>, <c>+=</c>, <c>s&gt;&gt;=</c>, <c>==</c>, <c>s&lt;</c>.</summary>
    Operator,
    /// <summary>A register: <c>r1</c>, <c>w2</c>.</summary>
    Register,
    /// <summary>An immediate, offset or jump displacement: <c>0xcafe</c>, <c>-0x8</c>, <c>+0x3</c>.</summary>
    Number,
    /// <summary>A memory access width or cast: <c>u32</c>, <c>s8</c>.</summary>
    Type,
    /// <summary>A symbol: a label heading (<c>&lt;server1&gt;:</c>) or a jump target (<c>&lt;f+0x48&gt;</c>).</summary>
    Label,
    /// <summary>Bytes that are not an instruction: <c>&lt;unknown&gt;</c>.</summary>
    Invalid,
    /// <summary>Data bytes shown as hex and characters under a data symbol, or skipped zeros (<c>...</c>).</summary>
    Data,
}
