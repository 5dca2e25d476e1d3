namespace BpfSharp.Loading.Externs;

/// <summary>An undefined global symbol of an object that libbpf, not the linker, supplies (libbpf's
/// <c>extern_desc</c>): a <c>__kconfig</c> value or a <c>__ksym</c> kernel symbol, as the object's BTF describes it.</summary>
/// <param name="Name">The symbol's name.</param>
/// <param name="IsWeak">Declared <c>__weak</c>: left unresolved, it is zero instead of a load error.</param>
internal abstract record Extern(string Name, bool IsWeak);
