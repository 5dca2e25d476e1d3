using BpfSharp.Loading;
using BpfSharp.Maps;

namespace BpfSharp.Events;

/// <summary>Programs from several objects composed into one chain, as L3AF composes network functions: every
/// object defines the same root program array (<see cref="ChainOptions.ProgramArray"/>), which is created once and
/// handed to each object as it loads (<see cref="LoadOptions.ReuseMaps"/>); stage i's program goes into slot i and
/// learns i from its <see cref="ChainOptions.IndexVariable"/>, so it tail-calls the next stage, or one further on,
/// by index. Running the first stage runs the chain.</summary>
internal sealed class ProgramChain : IDisposable
{
    readonly List<BpfObject> objects;

    ProgramChain(List<BpfObject> objects, IReadOnlyList<BpfProgram> programs, IReadOnlyList<ChainStage> stages,
        IReadOnlyDictionary<string, BpfMap> shared)
    {
        this.objects = objects;
        Programs = programs;
        Stages = stages;
        SharedMaps = shared;
    }

    /// <summary>The stages as configured.</summary>
    public IReadOnlyList<ChainStage> Stages { get; }

    /// <summary>Each stage's program, in slot order.</summary>
    public IReadOnlyList<BpfProgram> Programs { get; }

    /// <summary>Each stage's loaded object (the same file twice gives two objects, each with its own maps).</summary>
    public IReadOnlyList<BpfObject> Objects => objects;

    /// <summary>The maps the stages share, the root program array among them, by name.</summary>
    public IReadOnlyDictionary<string, BpfMap> SharedMaps { get; }

    /// <summary>The first stage: where packets enter.</summary>
    public BpfProgram Entry => Programs[0];

    /// <summary>Loads every stage's object and fills the root program array.</summary>
    /// <exception cref="BpfException">A stage's object does not load, lacks its program, does not define the root
    /// program array or defines it differently, or holds another program type; the message names the stage.</exception>
    public static ProgramChain Load(IReadOnlyList<ChainStage> stages, ChainOptions? options = null)
    {
        options ??= new ChainOptions();
        if (stages.Count == 0) throw new BpfException("a chain needs at least one stage");
        var shared = new Dictionary<string, BpfMap>(StringComparer.Ordinal);
        var objects = new List<BpfObject>();
        var programs = new List<BpfProgram>();
        try
        {
            for (var i = 0; i < stages.Count; i++)
            {
                var stage = stages[i];
                try
                {
                    var obj = BpfObject.Load(stage.ObjectPath, options.Load with { ReuseMaps = new Dictionary<string, BpfMap>(shared) });
                    objects.Add(obj);
                    programs.Add(obj.Programs.GetValueOrDefault(stage.Program) ?? obj.FindBySection(stage.Program)
                        ?? throw new BpfException($"{Path.GetFileName(stage.ObjectPath)} has no program '{stage.Program}' (it has {string.Join(", ", obj.Programs.Keys)})"));
                    if (!obj.Maps.ContainsKey(options.ProgramArray))
                        throw new BpfException($"{Path.GetFileName(stage.ObjectPath)} does not define the chain's program array '{options.ProgramArray}'");
                    foreach (var name in options.SharedMaps.Append(options.ProgramArray))
                        if (!shared.ContainsKey(name) && obj.Maps.TryGetValue(name, out var map)) shared[name] = map;
                    if (GlobalVariable.Find(obj.Spec.Btf, options.IndexVariable) is not null) obj.WriteGlobal(options.IndexVariable, (ulong)i);
                    foreach (var (variable, value) in stage.Globals) obj.WriteGlobal(variable, value);
                }
                catch (BpfException e)
                {
                    throw new BpfException($"chain stage {i} ({stage.DisplayName}): {e.Message}", e);
                }
            }
            var array = shared[options.ProgramArray];
            if (stages.Count > array.MaxEntries)
                throw new BpfException($"{stages.Count} stages do not fit program array '{options.ProgramArray}' ({array.MaxEntries} slots)");
            for (var i = 0; i < programs.Count; i++)
            {
                try { array.AsProgramArray()[i] = programs[i]; }
                catch (MapException e) { throw new BpfException($"chain stage {i} ({stages[i].DisplayName}): {e.Message}", e); }
            }
            return new ProgramChain(objects, programs, stages, shared);
        }
        catch
        {
            foreach (var obj in objects) obj.Dispose();
            throw;
        }
    }

    /// <summary>Disposes every stage's object.</summary>
    public void Dispose()
    {
        foreach (var obj in objects) obj.Dispose();
    }
}
