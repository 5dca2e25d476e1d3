using BpfSharp.Isa;

namespace BpfSharp.Execution.Fuzzing;

/// <summary>Assembles generated functions into one program: instructions are items whose jump and call targets are
/// other items or functions, turned into offsets once every function's place is known.</summary>
internal sealed class CodeBuilder
{
    readonly List<List<Item>> functions = new();

    /// <summary>An instruction; a jump or call's target is filled in at <see cref="Build"/>.</summary>
    abstract record Item;
    sealed record Plain(Instruction[] Slots) : Item;
    sealed record Jump(Instruction Template, Func<int> TargetItem) : Item;
    sealed record Call(int Function) : Item;
    sealed record Pointer(Register Dst, int Function) : Item;

    public int FunctionCount => functions.Count;

    public int AddFunction()
    {
        functions.Add(new List<Item>());
        return functions.Count - 1;
    }

    /// <summary>The index the next item of <paramref name="function"/> gets (a jump target).</summary>
    public int Here(int function) => functions[function].Count;

    public void Emit(int function, params Instruction[] slots) => functions[function].Add(new Plain(slots));

    /// <summary>A jump (or gotol) to item <paramref name="target"/>(), known by the time the program is built.</summary>
    public void EmitJump(int function, Instruction template, Func<int> target) => functions[function].Add(new Jump(template, target));

    public void EmitCall(int function, int callee) => functions[function].Add(new Call(callee));

    /// <summary><c>lddw dst, callee</c> as a BPF_PSEUDO_FUNC: the function's pointer, for callbacks.</summary>
    public void EmitFunctionPointer(int function, Register dst, int callee) => functions[function].Add(new Pointer(dst, callee));

    public Instruction[] Build()
    {
        var starts = new int[functions.Count];
        var itemSlots = new List<int[]>();
        var slot = 0;
        for (var f = 0; f < functions.Count; f++)
        {
            starts[f] = slot;
            var positions = new int[functions[f].Count + 1];
            for (var i = 0; i < functions[f].Count; i++)
            {
                positions[i] = slot;
                slot += functions[f][i] is Plain p ? p.Slots.Length : functions[f][i] is Pointer ? 2 : 1;
            }
            positions[^1] = slot;
            itemSlots.Add(positions);
        }
        var code = new List<Instruction>(slot);
        for (var f = 0; f < functions.Count; f++)
            foreach (var item in functions[f])
            {
                var at = code.Count;
                switch (item)
                {
                    case Plain p: code.AddRange(p.Slots); break;
                    case Jump j:
                    {
                        var delta = itemSlots[f][Math.Min(j.TargetItem(), functions[f].Count)] - at - 1;
                        code.Add(j.Template.Opcode == Opcode.Ja32
                            ? new Instruction(Opcode.Ja32, 0, 0, 0, delta)
                            : new Instruction(j.Template.Opcode, j.Template.Dst, j.Template.Src, (short)delta, j.Template.Imm));
                        break;
                    }
                    case Call c: code.Add(Asm.CallLocal(starts[c.Function] - at - 1)); break;
                    case Pointer p: code.AddRange(Asm.LoadImm64(p.Dst, FunctionPointer.Encode(starts[p.Function]), Bpf.PSEUDO_FUNC)); break;
                }
            }
        return code.ToArray();
    }
}
