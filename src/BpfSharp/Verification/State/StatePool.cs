namespace BpfSharp.Verification.State;

/// <summary>The frames and histories of paths that ended, for the copies later forks make: a fork copies a whole
/// state (about 2 KB a frame), and allocating each anew made the collector the verifier's largest cost. Only a state
/// no one else holds may be given back: a path's own state once it exits or is pruned (checkpoints and pending paths
/// hold copies).</summary>
internal sealed class StatePool
{
    readonly Stack<FrameState> frames = new();
    readonly Stack<List<PathStep>> histories = new();

    public FrameState? Frame() => frames.TryPop(out var frame) ? frame : null;

    public List<PathStep>? History() => histories.TryPop(out var history) ? history : null;

    /// <summary>Takes back the frames and history of a state that will not be used again.</summary>
    public void Recycle(VerifierState state)
    {
        foreach (var frame in state.Frames) frames.Push(frame);
        state.Frames.Clear();
        histories.Push(state.History.Release());
    }
}
