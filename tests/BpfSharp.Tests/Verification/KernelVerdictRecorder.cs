using BpfSharp.Cli.Kernel;
using BpfSharp.Tests.Support;
using Xunit.Abstractions;

namespace BpfSharp.Tests.Verification;

/// <summary>Writes what the running kernel says about every case into the case files' <c>-- kernel</c> sections and
/// the kernel's release and the architecture into Cases/RECORDED_ON. Runs only when asked (<c>record-kernel-verdicts.sh</c>), since it edits
/// the source tree. With <c>BPFSHARP_KERNEL_LOGS=DIR</c> it also writes each case's whole verifier log to DIR/NAME.log.</summary>
public class KernelVerdictRecorder(ITestOutputHelper output)
{
    /// <summary>Where the release of the kernel that answered is written.</summary>
    public static string RecordedOnPath => Path.Combine(VerifierCases.Directory, "RECORDED_ON");

    [FactRequires(Requirement.BpfSyscall, Requirement.RecordKernelVerdicts)]
    public void Record_the_running_kernels_verdicts_into_the_case_files()
    {
        var (accepted, rejected) = (0, 0);
        foreach (var file in VerifierCases.Files)
        {
            var path = Path.Combine(VerifierCases.Directory, file);
            var records = new Dictionary<string, KernelRecord>(StringComparer.Ordinal);
            foreach (var c in VerifierCaseFile.Read(path, file))
            {
                var verdict = c.LoadInKernel();
                if (Environment.GetEnvironmentVariable("BPFSHARP_KERNEL_LOGS") is { Length: > 0 } logs)
                    File.WriteAllText(Path.Combine(Directory.CreateDirectory(logs).FullName, c.Name + ".log"), verdict.Log);
                records[c.Name] = KernelRecord.Of(verdict);
                if (verdict.Accepted) accepted++; else rejected++;
                var changed = c.Kernel is null || c.Kernel != records[c.Name] ? " (changed)" : "";
                output.WriteLine($"{c.Name,-48} {verdict}{changed}");
            }
            var text = File.ReadAllText(path);
            var updated = VerifierCaseFile.WithKernelRecords(text, records, file);
            if (updated != text) File.WriteAllText(path, updated);
        }
        File.WriteAllText(RecordedOnPath, $"{Kernel.RunningKernel.Description}\n");
        output.WriteLine($"{accepted} accepted, {rejected} rejected by {Kernel.RunningKernel.Description}");
    }
}
