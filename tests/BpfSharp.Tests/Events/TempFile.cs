namespace BpfSharp.Tests.Events;

/// <summary>A file with known content in a fresh temporary directory, deleted afterwards.</summary>
public sealed class TempFile : IDisposable
{
    public TempFile(string content)
    {
        Path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("bpfsharp-syscalls-").FullName, "data.txt");
        File.WriteAllText(Path, content);
        Length = new FileInfo(Path).Length;
    }

    public string Path { get; }

    public long Length { get; }

    public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
}
