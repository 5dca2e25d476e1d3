namespace BpfSharp.Loading.Externs;

/// <summary>A <c>__ksym</c> extern: a kernel variable, typeless (<c>const void</c>, its kallsyms address) or typed
/// (a variable of the kernel's BTF), or a kfunc.</summary>
internal sealed record KernelSymbolExtern(string Name, bool IsWeak, bool IsFunction, bool IsTyped) : Extern(Name, IsWeak);
