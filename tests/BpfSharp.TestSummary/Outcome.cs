namespace BpfSharp.TestSummary;

/// <summary>What the closing line counts; anything but passed or skipped (error, timeout, aborted) is failed.</summary>
public enum Outcome
{
    Passed,
    Failed,
    Skipped,
}
