namespace BpfSharp.Tests.Support;

/// <summary>A file name in the temporary directory that is deleted when the test is done with it.</summary>
public sealed class TempFile(string extension) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bpfsharp-{Guid.NewGuid():N}{extension}");

    public void Dispose() => File.Delete(Path);
}
