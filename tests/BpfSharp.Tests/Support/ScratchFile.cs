namespace BpfSharp.Tests.Support;

/// <summary>A fresh file name in the temporary directory, for a file a test or a command writes; deleted with it.</summary>
public sealed class ScratchFile(string extension) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bpfsharp-{Guid.NewGuid():N}{extension}");

    public void Dispose() => File.Delete(Path);
}
