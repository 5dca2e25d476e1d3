using BpfSharp.Abi;
namespace BpfSharp.Execution;

/// <summary>A helper or kfunc call: the program, the call instruction and the helper id (a kfunc's id negated, see
/// <see cref="KfuncId"/>), what a helper's errors name.</summary>
internal readonly record struct HelperCall(ExecutableProgram? Program, int Site, long Id)
{
    /// <summary>The id a kfunc call is recorded with: kfunc ids are a numbering of their own, which negated cannot be
    /// mistaken for a helper's (helper ids are never negative).</summary>
    public static long KfuncId(int id) => -(long)id;

    /// <summary>What the call is named in errors: the helper's or kfunc's name, else its number.</summary>
    public string Callee(HelperTable helpers) => Id < 0
        ? Helpers.Kfuncs.Find(-Id)?.Name ?? $"kfunc {-Id}"
        : helpers.NameOf(Id) ?? $"helper {Id}";
}
