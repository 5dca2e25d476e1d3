namespace BpfSharp.Loading;

/// <summary>A program of an object that cannot be linked (a kfunc or extern BpfSharp does not resolve, a call into no
/// function): the object still opens, as libbpf's does, and the error is raised only if the program is loaded.</summary>
/// <param name="Name">The function symbol's name.</param>
/// <param name="SectionText">The ELF section's name.</param>
/// <param name="Error">Why it cannot be linked, with the section and instruction.</param>
internal sealed record UnloadableProgram(string Name, string SectionText, ObjectFormatException Error);
