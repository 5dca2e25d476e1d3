namespace BpfSharp.Verification.State;

/// <summary>The instructions a path ran since its checkpoint, in order: what precision marks are traced back through
/// (the kernel's jump history). A fork does not copy it: what both paths ran before the fork becomes a read-only
/// segment they share, and each goes on in a list of its own. (Copied at every fork, a long stretch without a
/// checkpoint made the verifier's time and memory grow with its square: 1.2 s to refuse a program at 1M
/// instructions, 0.3 s once shared.)</summary>
internal sealed class PathHistory
{
    /// <summary>Steps two or more paths share: read-only once made.</summary>
    internal sealed record Segment(List<PathStep> Steps, Segment? Previous);

    List<PathStep> own;
    Segment? shared;
    int sharedCount;

    public PathHistory(List<PathStep>? list = null) => own = list ?? new List<PathStep>();

    /// <summary>How many steps, shared ones included.</summary>
    public int Count => sharedCount + own.Count;

    public void Add(PathStep step) => own.Add(step);

    /// <summary>The step the running instruction added: changed only before the instruction forks the path.</summary>
    public PathStep Last
    {
        get => own[^1];
        set => own[^1] = value;
    }

    /// <summary>The history of a copy of this path. With <paramref name="withoutLast"/>, the copy's ends before the
    /// running instruction, which it is to run again.</summary>
    public PathHistory Fork(StatePool? spares, bool withoutLast = false)
    {
        var last = withoutLast ? own[^1] : default;
        if (withoutLast) own.RemoveAt(own.Count - 1);
        if (own.Count > 0)
        {
            shared = new Segment(own, shared);
            sharedCount += own.Count;
            own = spares?.History() ?? new List<PathStep>();
        }
        if (withoutLast) own.Add(last);
        return new PathHistory(spares?.History()) { shared = shared, sharedCount = sharedCount };
    }

    /// <summary>Newest first (a struct enumerator: precision tracing walks histories at every decided branch).</summary>
    public Backward Backwards() => new(own, shared);

    /// <summary>Walks the own list, then each shared segment, from their ends.</summary>
    public struct Backward(List<PathStep> own, Segment? shared)
    {
        List<PathStep> steps = own;
        Segment? next = shared;
        int index = own.Count;

        public readonly PathStep Current => steps[index];

        public bool MoveNext()
        {
            while (--index < 0)
            {
                if (next is null) return false;
                (steps, next) = (next.Steps, next.Previous);
                index = steps.Count;
            }
            return true;
        }

        public readonly Backward GetEnumerator() => this;
    }

    /// <summary>Gives this path's own list back; shared segments stay with the paths that share them.</summary>
    public List<PathStep> Release()
    {
        own.Clear();
        shared = null;
        sharedCount = 0;
        return own;
    }
}
