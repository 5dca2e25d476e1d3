using BpfSharp.Elf;
using BpfSharp.Isa;

namespace BpfSharp.Loading;

/// <summary>An executable section as instructions: its functions (FUNC symbols, by first slot) and its relocations
/// by the slot they patch.</summary>
internal sealed class CodeSection
{
    public CodeSection(ObjectFile file, ElfSection section)
    {
        Section = section;
        var data = section.Data.Span;
        if (data.Length % Instruction.Size != 0)
            throw new ObjectFormatException($"code is {data.Length} bytes, not a whole number of instructions", section.Name, section.FileOffset);
        Code = new Instruction[data.Length / Instruction.Size];
        for (var i = 0; i < Code.Length; i++)
            Code[i] = Instruction.Read(data.Slice(i * Instruction.Size, Instruction.Size));

        foreach (var symbol in file.SymbolsIn(section).Where(s => s.Type == ElfSymbolType.Func).OrderBy(s => s.Value))
        {
            if (symbol.Value % Instruction.Size != 0 || symbol.Size % Instruction.Size != 0 || symbol.Value + symbol.Size > (ulong)data.Length)
                throw new ObjectFormatException($"function '{symbol.Name}' [0x{symbol.Value:x}, +0x{symbol.Size:x}) is not a whole run of instructions inside the section",
                    section.Name, section.FileOffset + (long)Math.Min(symbol.Value, (ulong)data.Length));
            var function = new CodeFunction(symbol.Name, (int)(symbol.Value / Instruction.Size), (int)(symbol.Size / Instruction.Size), symbol.Binding);
            if (LddwCutAt(function) is { } cut)
                throw new ObjectFormatException($"function '{symbol.Name}' ends inside the lddw at insn {cut - function.Start} (its second half is past the function)",
                    section.Name, section.FileOffset + cut * Instruction.Size);
            Functions.Add(function);
        }

        foreach (var relocation in file.RelocationsFor(section))
        {
            if (relocation.Offset % Instruction.Size != 0)
                throw new ObjectFormatException($"relocation at offset 0x{relocation.Offset:x} does not start an instruction", section.Name, section.FileOffset + relocation.Offset);
            var index = (int)(relocation.Offset / Instruction.Size);
            var symbol = file.Symbols[relocation.SymbolIndex];
            Relocations[index] = (relocation, symbol);
        }
    }

    /// <summary>The lddw whose second slot lies past the function's end, if one does: no pass may read a half.</summary>
    int? LddwCutAt(CodeFunction function)
    {
        var end = function.Start + function.Length;
        for (var i = function.Start; i < end; i += Code[i].Opcode == Opcode.Lddw ? 2 : 1)
            if (Code[i].Opcode == Opcode.Lddw && i + 1 >= end) return i;
        return null;
    }

    public ElfSection Section { get; }

    public string Name => Section.Name;

    public Instruction[] Code { get; }

    public List<CodeFunction> Functions { get; } = new();

    public Dictionary<int, (ElfRelocation Relocation, ElfSymbol Symbol)> Relocations { get; } = new();

    /// <summary>The function whose body holds slot <paramref name="index"/>, or null.</summary>
    public CodeFunction? FunctionAt(int index) => Functions.LastOrDefault(f => f.Start <= index && index < f.Start + Math.Max(f.Length, 1));

    /// <summary>The function starting exactly at <paramref name="index"/>, or null.</summary>
    public CodeFunction? FunctionStartingAt(int index) => Functions.FirstOrDefault(f => f.Start == index);
}

/// <summary>A function in a code section: slots [Start, Start + Length).</summary>
internal sealed record CodeFunction(string Name, int Start, int Length, ElfSymbolBinding Binding);
