namespace BpfSharp;

/// <summary>The base of every error BpfSharp reports: malformed input, rejected programs, runtime faults.</summary>
public class BpfException(string message, Exception? inner = null) : Exception(message, inner);
