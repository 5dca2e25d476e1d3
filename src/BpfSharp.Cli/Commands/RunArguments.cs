using System.CommandLine;
using BpfSharp.Loading;

namespace BpfSharp.Cli.Commands;

/// <summary>What <c>run</c> and <c>trace</c> both take: the file, the program, its input, program array slots and
/// globals.</summary>
internal sealed class RunArguments
{
    public Argument<FileInfo> File { get; } = new("file") { Description = "a BPF ELF object, or a bpf_conformance .data file" };

    public Argument<string?> Program { get; } = new("program")
    {
        Description = "the program (function name or section) in the object", Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string?> Data { get; } = new("--data-in") { Description = "file with the packet (data_in); default 64 zero bytes for packet programs" };

    public Option<string?> CtxIn { get; } = new("--ctx-in") { Description = "file with the context (ctx_in)" };

    public Option<string[]> TailCall { get; } = new("--tail-call") { Description = "MAP:INDEX=PROGRAM: put PROGRAM in a program array slot (repeatable)" };

    public Option<string[]> SetGlobal { get; } = new("--set-global")
    {
        Description = "MAP:OFFSET=HEXBYTES: write bytes into global data, MAP being e.g. .bss (repeatable)",
    };

    public Option<string[]> Update { get; } = new("--update")
    {
        Description = "MAP:KEYHEX=VALUEHEX: set a map entry before the run, e.g. a devmap's ifindex: --update tx_port:00000000=03000000 (repeatable)",
    };

    public Option<bool> NoVerify { get; } = new("--no-verify")
    {
        Description = "load programs BpfSharp's verifier refuses and run them bounds-checked (a bad access stops the run instead of the load)",
    };

    public LoaderSettings Loader { get; } = new();

    /// <summary>Adds them to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(File);
        command.Arguments.Add(Program);
        foreach (var option in new Option[] { Data, CtxIn, TailCall, SetGlobal, Update, NoVerify }) command.Options.Add(option);
        Loader.AddTo(command);
    }

    /// <summary>The file's full path, and whether it is an ELF object (else a .data file).</summary>
    public (string Path, bool IsObject) Input(ParseResult parse)
    {
        var input = parse.GetValue(File)!;
        using var stream = input.OpenRead();
        Span<byte> magic = stackalloc byte[4];
        return (input.FullName, Elf.ObjectFile.HasElfMagic(magic[..stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false)]));
    }

    /// <summary>The object run they describe; <paramref name="json"/>, <paramref name="repeat"/> and
    /// <paramref name="engine"/> are the command's own.</summary>
    public ObjectRun.Options Read(ParseResult parse, bool json, int repeat = 1, ExecutionEngine engine = ExecutionEngine.Interpreter)
    {
        var (path, _) = Input(parse);
        var name = parse.GetValue(Program) ?? throw new BpfException($"{System.IO.Path.GetFileName(path)} is an object: say which program to run");
        return new ObjectRun.Options(path, name, parse.GetValue(Data), parse.GetValue(CtxIn), repeat, parse.GetValue(TailCall) ?? [],
            parse.GetValue(SetGlobal) ?? [], json, engine, Verify: !parse.GetValue(NoVerify), Loader: spec => Loader.Apply(parse, spec, new LoadOptions()),
            Updates: parse.GetValue(Update) ?? []);
    }
}
