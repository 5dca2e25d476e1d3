using BpfSharp.Loading;
namespace BpfSharp.Events;

/// <summary>How a <see cref="ProgramChain"/> is wired.</summary>
internal sealed record ChainOptions
{
    /// <summary>The root program array every stage defines and tail-calls through; stage i goes into slot i.</summary>
    public string ProgramArray { get; init; } = "chain_progs";

    /// <summary>The global variable (<c>.data</c> or <c>.bss</c>) in which a stage finds its own slot, written for
    /// each stage that defines it, so that it can tail-call slot + 1 (or skip ahead).</summary>
    public string IndexVariable { get; init; } = "chain_index";

    /// <summary>Other maps that every stage defining them shares (created by the first, reused by the others).</summary>
    public IReadOnlyList<string> SharedMaps { get; init; } = [];

    /// <summary>How each object is loaded; its <see cref="LoadOptions.ReuseMaps"/> is the chain's to set.</summary>
    public LoadOptions Load { get; init; } = new();
}
