using System.Globalization;
using BpfSharp.Execution;

namespace BpfSharp.Events;

/// <summary>Who each traced thread is, from /proc: thread id, process id, real uid and gid, command name. Read once
/// per thread and again after it execs (which renames it); reading /proc at every syscall would double the cost
/// of tracing for the rare thread that renames itself or changes its ids.</summary>
internal sealed class TaskIdentities
{
    readonly Dictionary<int, TaskIdentity> known = new();

    public TaskIdentity Get(int tid)
    {
        if (!known.TryGetValue(tid, out var task)) known[tid] = task = Read(tid);
        return task;
    }

    public void Forget(int tid) => known.Remove(tid);

    static TaskIdentity Read(int tid)
    {
        var tgid = tid;
        uint uid = 0, gid = 0;
        foreach (var line in File.ReadLines($"/proc/{tid}/status"))
        {
            if (line.StartsWith("Tgid:", StringComparison.Ordinal)) tgid = int.Parse(Field(line), CultureInfo.InvariantCulture);
            else if (line.StartsWith("Uid:", StringComparison.Ordinal)) uid = uint.Parse(Field(line), CultureInfo.InvariantCulture);
            else if (line.StartsWith("Gid:", StringComparison.Ordinal)) gid = uint.Parse(Field(line), CultureInfo.InvariantCulture);
        }
        var comm = File.ReadAllText($"/proc/{tid}/comm").TrimEnd('\n');
        return new TaskIdentity(tid, tgid, uid, gid, comm);
    }

    /// <summary>The first value after the label ("Uid:\t1000\t1000\t1000\t1000" gives the real uid).</summary>
    static string Field(string line) => line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1];
}
