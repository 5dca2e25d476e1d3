namespace BpfSharp.Execution;

/// <summary>What a program may do with a memory region.</summary>
[Flags]
internal enum MemoryAccess
{
    /// <summary>Neither read nor written.</summary>
    None = 0,
    /// <summary>Loads.</summary>
    Read = 1,
    /// <summary>Stores and atomics.</summary>
    Write = 2,
    /// <summary>Both.</summary>
    ReadWrite = Read | Write,
}
