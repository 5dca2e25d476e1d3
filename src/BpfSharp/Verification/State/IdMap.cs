namespace BpfSharp.Verification.State;

/// <summary>Pairs the ids of an old state with those of the current one while two states are compared, so that
/// registers tied together in one are tied the same way in the other (the kernel's <c>check_ids</c>).</summary>
internal sealed class IdMap
{
    readonly Dictionary<int, int> oldToCurrent = new();
    readonly Dictionary<int, int> currentToOld = new();

    /// <summary>Forgets every pair, for the next comparison (one map serves them all).</summary>
    public void Clear()
    {
        oldToCurrent.Clear();
        currentToOld.Clear();
    }

    public bool Match(int old, int current)
    {
        if (old == 0 || current == 0) return old == current;
        if (oldToCurrent.TryGetValue(old, out var mapped)) return mapped == current;
        if (currentToOld.ContainsKey(current)) return false;
        oldToCurrent[old] = current;
        currentToOld[current] = old;
        return true;
    }
}
