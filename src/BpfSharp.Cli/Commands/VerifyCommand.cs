using System.CommandLine;
using System.Text.Json;
using BpfSharp.Loading;
using BpfSharp.Verification;
using Spectre.Console;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp verify OBJ [PROGRAM] [--log] [--json]</c>: runs the verifier on every program (or one) and
/// says why a program is refused: the instruction, its source line, the registers involved, the kernel's words and a
/// sentence on the usual fix. Exit 0 when every program is accepted, 1 when any is refused or cannot be loaded, 4 when none is refused
/// but some could not be verified (a type whose context BpfSharp's verifier does not know): unverified is not
/// accepted, and a script that checks the exit code must not be told otherwise.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "a BPF ELF object" };
        var program = new Argument<string?>("program") { Description = "only this program (function name)", Arity = ArgumentArity.ZeroOrOne };
        var log = new Option<bool>("--log") { Description = "print the verifier's log: each instruction with the registers it changed" };
        var json = new Option<bool>("--json") { Description = "one JSON object: per program the verdict, instructions processed, stack depths, diagnostics" };
        var loader = new LoaderSettings();
        var command = new Command("verify", """
            check that programs are safe, as the kernel's verifier does; a refusal names the instruction and source line

            examples:
              bpfsharp verify examples/xdp-pipeline/xdp_pipeline.o
              bpfsharp verify examples/fib/fib.o fib_recursive --log
              bpfsharp verify examples/drinks/drinks.o server2 --json
            exit codes: 0 every program accepted, 1 bad input or a program refused or not loadable,
              4 none refused but some not verified (their type's context is unknown to the verifier)
            """) { file, program, log, json };
        loader.AddTo(command);
        command.SetAction(parse => CliErrors.Guard(parse, () =>
            Run(parse.GetValue(file)!.FullName, parse.GetValue(program), parse.GetValue(log), parse.GetValue(json), Console.Out,
                spec => loader.Apply(parse, spec, new LoadOptions()))));
        return command;
    }

    /// <summary>The exit code when no program was refused but some were not verified.</summary>
    internal const int NotVerified = 4;

    internal static int Run(string path, string? only, bool log, bool json, TextWriter stdout, Func<ObjectSpec, LoadOptions>? loader = null)
    {
        var spec = ObjectSpec.Read(path);
        var settings = loader?.Invoke(spec) ?? new LoadOptions();
        var names = spec.ProgramNames.Where(n => only is null || n == only).ToList();
        if (names.Count == 0) throw new BpfException($"{path} has no program '{only}' (it has {string.Join(", ", spec.ProgramNames)})");
        // Each program loaded by itself, as the kernel's test loader does: one that BpfSharp cannot load (a kfunc, a
        // helper it lacks) is reported as such and does not hide the verdicts of the others.
        var verdicts = names.Select(name => Verdict.Of(spec, name, settings with { VerifierLog = log })).ToList();
        try
        {
            if (json) WriteJson(stdout, verdicts);
            else foreach (var v in verdicts) WriteText(stdout, v, log);
            return verdicts.Any(v => v.Program?.Rejection is not null || v.LoadError is not null) ? 1
                : verdicts.Any(v => v.Program?.Verification is null) ? NotVerified : 0;
        }
        finally
        {
            foreach (var v in verdicts) v.Object?.Dispose();
        }
    }

    /// <summary>One program's outcome: loaded (verified, refused or not verified), or not loadable at all.</summary>
    sealed record Verdict(string Name, BpfObject? Object, BpfProgram? Program, string? LoadError)
    {
        public static Verdict Of(ObjectSpec spec, string name, LoadOptions settings)
        {
            try
            {
                var obj = BpfObject.Load(spec, settings with { Verify = false, Programs = [name] });
                return new Verdict(name, obj, obj.Programs[name], null);
            }
            catch (BpfException e)
            {
                return new Verdict(name, null, null, e.Message);
            }
        }
    }

    static void WriteText(TextWriter stdout, Verdict verdict, bool log)
    {
        if (verdict.Program is not { } p)
        {
            stdout.WriteLine($"✗ {verdict.Name}: cannot load: {verdict.LoadError}");
            return;
        }
        if (p.Rejection is { } e)
        {
            stdout.WriteLine($"✗ {p.Name}: refused: {e.Reason}");
            foreach (var d in e.Diagnostics)
            {
                stdout.WriteLine($"    at insn {d.InstructionIndex}: {d.Disassembly}");
                if (d.Source is { } s) stdout.WriteLine($"    {s.Location}: {s.Text.Trim()}");
                if (d.Registers.Length > 0) stdout.WriteLine($"    {d.Registers}");
                if (d.Explanation != d.KernelMessage) stdout.WriteLine($"    {d.Explanation}");
            }
            if (log) foreach (var line in e.Log) stdout.WriteLine($"    | {line}");
            return;
        }
        if (p.Verification is not { } v)
        {
            stdout.WriteLine(p.Type == ProgramType.Unspec
                ? $"? {p.Name}: not verified: section '{p.Spec.SectionText}' names no program type libbpf knows; say which with --program-type {p.Name}=TYPE"
                : $"? {p.Name}: not verified ({p.Type} contexts are not known to BpfSharp's verifier); it runs bounds-checked");
            return;
        }
        stdout.WriteLine($"✓ {p.Name}: accepted, {v.ProcessedInstructions} instructions processed, stack {string.Join("+", v.StackDepths)} bytes");
        if (log) foreach (var line in v.Log) stdout.WriteLine($"    | {line}");
    }

    static void WriteJson(TextWriter stdout, List<Verdict> verdicts)
    {
        JsonOutput.Write(stdout, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("programs");
            foreach (var verdict in verdicts)
            {
                w.WriteStartObject();
                w.WriteString("name", verdict.Name);
                if (verdict.Program is not { } p)
                {
                    w.WriteString("verdict", "cannot-load");
                    w.WriteString("message", verdict.LoadError);
                    w.WriteEndObject();
                    continue;
                }
                w.WriteString("section", p.Spec.SectionText);
                w.WriteString("verdict", p.Rejection is not null ? "reject" : p.Verification is not null ? "accept" : "unverified");
                // every refusal's words, also those with no instruction to point at (the combined stack size)
                if (p.Rejection is { } rejection) w.WriteString("message", rejection.Reason);
                if (p.Verification is { } v)
                {
                    w.WriteNumber("processedInstructions", v.ProcessedInstructions);
                    w.WriteStartArray("stackDepths");
                    foreach (var depth in v.StackDepths) w.WriteNumberValue(depth);
                    w.WriteEndArray();
                }
                w.WriteStartArray("diagnostics");
                foreach (var d in p.Rejection?.Diagnostics ?? [])
                {
                    w.WriteStartObject();
                    w.WriteNumber("instruction", d.InstructionIndex);
                    w.WriteString("disassembly", d.Disassembly);
                    if (d.Source is { } s) SourceJson.Write(w, s);
                    w.WriteString("registers", d.Registers);
                    w.WriteString("message", d.KernelMessage);
                    w.WriteString("explanation", d.Explanation);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
