using BpfSharp.Execution;

namespace BpfSharp.Tests.Support;

/// <summary>Theory data that runs a semantic test once per engine (DESIGN.md §5: the interpreter is the reference,
/// and every semantic test runs on both).</summary>
public static class EngineTheories
{
    public static readonly ExecutionEngine[] All = [ExecutionEngine.Interpreter, ExecutionEngine.Jit];

    public static TheoryData<ExecutionEngine> Engines => new(All);

    public static TheoryData<T, ExecutionEngine> Cross<T>(IEnumerable<T> rows)
    {
        var data = new TheoryData<T, ExecutionEngine>();
        foreach (var row in rows)
            foreach (var engine in All)
                data.Add(row, engine);
        return data;
    }

    /// <summary>Every row of a table of answers, once per engine.</summary>
    public static TheoryData<T1, T2, ExecutionEngine> Cross<T1, T2>(TheoryData<T1, T2> rows) =>
        Cross(rows.Select(row => ((T1)row[0], (T2)row[1])));

    public static TheoryData<T1, T2, ExecutionEngine> Cross<T1, T2>(IEnumerable<(T1, T2)> rows)
    {
        var data = new TheoryData<T1, T2, ExecutionEngine>();
        foreach (var (a, b) in rows)
            foreach (var engine in All)
                data.Add(a, b, engine);
        return data;
    }
}
