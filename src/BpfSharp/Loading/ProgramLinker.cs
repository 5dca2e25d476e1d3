using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Elf;
using BpfSharp.Helpers;
using BpfSharp.Isa;
using BpfSharp.Loading.Externs;

namespace BpfSharp.Loading;

/// <summary>Builds one program the way libbpf does: copies its function, then appends every function it calls or
/// takes the address of (from <c>.text</c> or its own section), transitively, once each, re-pointing every
/// <c>call</c> and recording every map reference (R_BPF_64_32 and R_BPF_64_64 relocations, llvm_reloc.rst); an lddw of
/// an extern becomes a <c>.kconfig</c> map reference or, for a weak <c>__ksym</c>, zero; a call of a kfunc becomes a
/// kfunc call of BpfSharp's id for it.</summary>
internal sealed class ProgramLinker
{
    readonly ObjectFile file;
    readonly IReadOnlyDictionary<int, CodeSection> codeSections;
    readonly BtfExt ext;
    readonly Func<ElfSection, ElfSymbol, uint, MapReferenceTarget?> resolveMap;
    readonly ExternTable externs;
    readonly List<Instruction> code = new();
    readonly Dictionary<(int Section, int Start), int> placed = new();
    readonly Queue<(CodeSection Section, CodeFunction Function, int At)> pending = new();
    readonly List<MapReference> references = new();
    readonly List<ProgramFunction> functions = new();
    readonly List<LineInfo> lines = new();
    readonly List<CoreRelocation> core = new();

    ProgramLinker(ObjectFile file, IReadOnlyDictionary<int, CodeSection> codeSections, BtfExt ext,
        Func<ElfSection, ElfSymbol, uint, MapReferenceTarget?> resolveMap, ExternTable externs)
    {
        this.file = file;
        this.codeSections = codeSections;
        this.ext = ext;
        this.resolveMap = resolveMap;
        this.externs = externs;
    }

    /// <summary>What an R_BPF_64_64 relocation against a non-code symbol names: a map, or a value inside one.</summary>
    internal sealed record MapReferenceTarget(string MapName, uint Offset, bool IsValue);

    public static ProgramSpec Link(ObjectFile file, IReadOnlyDictionary<int, CodeSection> codeSections, BtfExt ext,
        CodeSection section, CodeFunction entry, string license, Func<ElfSection, ElfSymbol, uint, MapReferenceTarget?> resolveMap,
        ExternTable externs)
    {
        var linker = new ProgramLinker(file, codeSections, ext, resolveMap, externs);
        linker.Place(section, entry);
        while (linker.pending.Count > 0)
        {
            var (s, f, at) = linker.pending.Dequeue();
            linker.Relocate(s, f, at);
        }
        return new ProgramSpec(entry.Name, section.Name, SectionName.Parse(section.Name), linker.code.ToArray(), linker.references,
            linker.functions, linker.lines.OrderBy(l => l.InstructionIndex).ToList(), linker.core.OrderBy(c => c.InstructionIndex).ToList(), license);
    }

    int Place(CodeSection section, CodeFunction function)
    {
        if (placed.TryGetValue((section.Section.Index, function.Start), out var at)) return at;
        at = code.Count;
        placed[(section.Section.Index, function.Start)] = at;
        code.AddRange(section.Code.AsSpan(function.Start, function.Length).ToArray());
        functions.Add(new ProgramFunction(function.Name, at, function.Length));
        var end = function.Start + function.Length;
        if (ext.LineInfos.TryGetValue(section.Name, out var sectionLines))
            lines.AddRange(sectionLines.Where(l => l.InstructionIndex >= function.Start && l.InstructionIndex < end)
                .Select(l => l with { InstructionIndex = at + l.InstructionIndex - function.Start }));
        if (ext.CoreRelocations.TryGetValue(section.Name, out var sectionCore))
            core.AddRange(sectionCore.Where(c => c.InstructionIndex >= function.Start && c.InstructionIndex < end)
                .Select(c => c with { InstructionIndex = at + c.InstructionIndex - function.Start }));
        pending.Enqueue((section, function, at));
        return at;
    }

    void Relocate(CodeSection section, CodeFunction function, int at)
    {
        for (var i = function.Start; i < function.Start + function.Length; i++)
        {
            var insn = section.Code[i];
            var here = at + i - function.Start;
            var relocated = section.Relocations.TryGetValue(i, out var reloc);
            if (insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_CALL && relocated && !reloc.Symbol.IsInSection)
                code[here] = LinkKfuncCall(section, i, reloc.Symbol);
            else if (insn.Opcode == Opcode.Call && insn.Src == (Register)Bpf.PSEUDO_CALL)
            {
                // With a relocation the target is S/8 + imm + 1 in the symbol's section; without one it is pc-relative
                // within this section (llvm_reloc.rst, R_BPF_64_32).
                var (targetSection, target) = relocated
                    ? (CodeSectionOf(reloc.Symbol, section, i), (int)(reloc.Symbol.Value / Instruction.Size) + insn.Imm + 1)
                    : (section, i + insn.Imm + 1);
                code[here] = insn.WithImm(Resolve(targetSection, target, section, i) - here - 1);
            }
            else if (relocated)
            {
                if (insn.Opcode != Opcode.Lddw)
                    throw Error(section, i, $"relocation against '{reloc.Symbol.Name}' patches a {insn.Opcode}, not a lddw or call");
                code[here] = LinkLoad(section, i, here, insn, reloc.Symbol);
            }
        }
    }

    Instruction LinkLoad(CodeSection section, int index, int here, Instruction insn, ElfSymbol symbol)
    {
        if (!symbol.IsInSection) return LinkExtern(section, index, here, insn, symbol);
        var target = file.FindSection(symbol.SectionIndex)!;
        var addend = (uint)insn.Imm;
        if (target.IsExecutable)
        {
            // Only a function, or its section plus an offset, has an address there (libbpf's sym_is_subprog).
            if (symbol.Type is not (ElfSymbolType.Func or ElfSymbolType.Section))
                throw Error(section, index, $"lddw refers to '{symbol.Name}' ({symbol.Type} symbol) in code section {target.Name}, which is neither a function nor data");
            // A function's address (bpf_loop callbacks): BPF_PSEUDO_FUNC with a pc-relative imm, as libbpf rewrites it.
            var targetIndex = (int)((symbol.Value + addend) / Instruction.Size);
            if (!codeSections.TryGetValue(target.Index, out var targetCode))
                throw Error(section, index, $"lddw refers to '{symbol.Name}' in code section {target.Name}, which holds no code");
            var at = Resolve(targetCode, targetIndex, section, index);
            return insn.WithSrc(Bpf.PSEUDO_FUNC).WithImm(at - here - 1);
        }
        var map = resolveMap(target, symbol, addend)
            ?? throw Error(section, index, $"lddw refers to '{symbol.Name}' in section {target.Name}, which is neither a map nor global data");
        references.Add(new MapReference(here, map.MapName, map.Offset, map.IsValue));
        return insn.WithSrc(map.IsValue ? Bpf.PSEUDO_MAP_VALUE : Bpf.PSEUDO_MAP_FD).WithImm(0);
    }

    /// <summary>libbpf's RELO_EXTERN_LD64 (<c>bpf_object__relocate_data</c>), for the externs BpfSharp can supply.</summary>
    Instruction LinkExtern(CodeSection section, int index, int here, Instruction insn, ElfSymbol symbol)
    {
        switch (externs.Find(symbol.Name))
        {
            case KconfigExtern kconfig:
                // The address of its slot in the .kconfig map's value; libbpf ignores the lddw's own addend.
                references.Add(new MapReference(here, externs.KconfigMapName, kconfig.Offset, true));
                return insn.WithSrc(Bpf.PSEUDO_MAP_VALUE).WithImm(0);
            case KernelSymbolExtern { IsFunction: true } kfunc when !kfunc.IsWeak || Kfuncs.Find(kfunc.Name) is not null:
                throw Error(section, index, $"lddw of kfunc '{symbol.Name}' (a __ksym function's address), which BpfSharp does not give");
            case KernelSymbolExtern { IsWeak: true }:
                // BpfSharp has no kernel symbols to resolve it against (nor the kfunc), and libbpf leaves an unresolved
                // weak ksym at 0: bpf_ksym_exists() is false.
                code[here + 1] = code[here + 1].WithImm(0);
                return insn.WithSrc(0).WithImm(0);
            case KernelSymbolExtern ksym:
                throw Error(section, index, $"'{symbol.Name}' is a kernel variable (__ksym{(ksym.IsTyped ? ", typed" : "")}): BpfSharp " +
                    "runs programs without kernel memory, so it can only supply a __weak one, as 0 (libbpf's value for a weak ksym it cannot resolve)");
            default:
                throw Error(section, index, $"'{symbol.Name}' is an extern that the object's BTF does not place in .kconfig or .ksyms " +
                    "(compile with -g), which BpfSharp cannot resolve");
        }
    }

    /// <summary>libbpf's RELO_EXTERN_CALL: a call of a kfunc becomes a BPF_PSEUDO_KFUNC_CALL of its id (BpfSharp's,
    /// where libbpf puts the kernel's BTF id); a <c>__weak</c> kfunc BpfSharp lacks becomes libbpf's poisoned call,
    /// which the verifier refuses only on a path that reaches it (<c>poison_kfunc_call</c>).</summary>
    Instruction LinkKfuncCall(CodeSection section, int index, ElfSymbol symbol)
    {
        if (externs.Find(symbol.Name) is not KernelSymbolExtern { IsFunction: true } kfunc)
            throw Error(section, index, $"call to '{symbol.Name}', which is neither a function in a code section nor a kfunc " +
                "the object's BTF declares (an extern __ksym function; compile with -g)");
        if (Kfuncs.Find(kfunc.Name) is { } provided)
            return new Instruction(Opcode.Call, 0, (Register)Bpf.PSEUDO_KFUNC_CALL, 0, (int)provided.Id);
        if (!kfunc.IsWeak) throw Error(section, index, $"kfunc '{kfunc.Name}' is not provided by BpfSharp");
        return new Instruction(Opcode.Call, 0, 0, 0, KfuncPoison.HelperIdBase + externs.IndexOf(kfunc));
    }

    int Resolve(CodeSection targetSection, int target, CodeSection from, int fromIndex)
    {
        var function = targetSection.FunctionAt(target)
            ?? throw Error(from, fromIndex, $"call or function reference to insn {target} of section {targetSection.Name}, which is in no function");
        return Place(targetSection, function) + target - function.Start;
    }

    CodeSection CodeSectionOf(ElfSymbol symbol, CodeSection from, int index) =>
        symbol.IsInSection && codeSections.TryGetValue(symbol.SectionIndex, out var s) ? s
            : throw Error(from, index, $"call to '{symbol.Name}', which is not a function in a code section");

    static ObjectFormatException Error(CodeSection section, int index, string message) =>
        new(message, section.Name, section.Section.FileOffset + (long)index * Instruction.Size, index);
}
