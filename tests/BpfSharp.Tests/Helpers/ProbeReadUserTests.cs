using System.Text;
using BpfSharp.Events;
using BpfSharp.Execution;
using BpfSharp.Helpers;
using BpfSharp.Tests.Events;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Helpers;

/// <summary>bpf_probe_read_user and _str with a traced process's memory lent to the invocation: they read that process
/// (here cat, stopped at the openat of a file whose path we chose), the _kernel forms do not, and the string form
/// stops at a NUL just before an unreadable page as strncpy_from_user_nofault does.</summary>
public class ProbeReadUserTests
{
    const long EFAULT = -14, ERANGE = -34;

    /// <summary>Runs <paramref name="check"/> with a harness reading cat's memory at its openat of the file, and the
    /// address of the path in cat.</summary>
    static void AtOpenatOfTheFile(Action<HelperHarness, ulong, string> check)
    {
        using var file = new TempFile("x");
        var checkedOnce = false;
        SyscallTracer.Run("/bin/sh", ["-c", "exec cat \"$0\" > /dev/null", file.Path], entry =>
        {
            if (entry.Number != HostSyscalls.Openat || entry.Task.Comm != "cat") return;
            using var h = new HelperHarness();
            h.Invocation.UserMemory = entry.Memory;
            var path = entry.Arguments[1];
            var probe = new byte[file.Path.Length];
            if (!entry.Memory.TryRead(path, probe) || Encoding.UTF8.GetString(probe) != file.Path) return;
            check(h, path, file.Path);
            checkedOnce = true;
        });
        Assert.True(checkedOnce, "cat never opened the file");
    }

    [FactRequires(Requirement.Ptrace)]
    public void Read_user_str_copies_the_path_from_the_traced_process_with_its_NUL()
    {
        AtOpenatOfTheFile((h, path, expected) =>
        {
            var dst = h.Zeroed(256);
            Assert.Equal(expected.Length + 1, h.CallSigned(HelperId.ProbeReadUserStr, dst, 256, path));
            Assert.Equal(expected, h.CString(dst, 256));
        });
    }

    [FactRequires(Requirement.Ptrace)]
    public void Read_user_and_the_legacy_read_copy_bytes_of_the_traced_process()
    {
        AtOpenatOfTheFile((h, path, expected) =>
        {
            var dst = h.Zeroed(8);
            Assert.Equal(0, h.CallSigned(HelperId.ProbeReadUser, dst, 8, path));
            Assert.Equal(expected[..8], Encoding.UTF8.GetString(h.Bytes(dst, 8)));
            h.Bytes(dst, 8).Clear();
            Assert.Equal(0, h.CallSigned(HelperId.ProbeRead, dst, 8, path));
            Assert.Equal(expected[..8], Encoding.UTF8.GetString(h.Bytes(dst, 8)));
        });
    }

    [FactRequires(Requirement.Ptrace)]
    public void Read_kernel_refuses_a_user_address_of_the_traced_process_with_ERANGE()
    {
        AtOpenatOfTheFile((h, path, _) =>
            Assert.Equal(ERANGE, h.CallSigned(HelperId.ProbeReadKernel, h.Zeroed(8), 8, path)));
    }

    [FactRequires(Requirement.Ptrace)]
    public void An_unmapped_address_of_the_traced_process_is_EFAULT_with_the_destination_zeroed()
    {
        AtOpenatOfTheFile((h, _, _) =>
        {
            var dst = h.Alloc([.. Enumerable.Repeat((byte)0xaa, 8)]);
            Assert.Equal(EFAULT, h.CallSigned(HelperId.ProbeReadUser, dst, 8, 0x10));
            Assert.Equal(new byte[8], h.Bytes(dst, 8).ToArray());
            Assert.Equal(EFAULT, h.CallSigned(HelperId.ProbeReadUserStr, dst, 8, 0x10));
        });
    }

    [Theory]
    [InlineData("abc\0", 64, 4, "abc")]         // the NUL is the page's last byte: the next page is never touched
    [InlineData("abcdefgh\0", 4, 4, "abc")]     // too long for the size: truncated, with a NUL last
    [InlineData("abcd", 64, EFAULT, "")]         // the page ends before a NUL: fails, destination zeroed
    public void Read_user_str_at_the_end_of_the_last_readable_page(string tail, int size, long result, string copied)
    {
        var memory = new OnePage(tail);
        using var h = new HelperHarness();
        h.Invocation.UserMemory = memory;
        var dst = h.Alloc([.. Enumerable.Repeat((byte)0xaa, size)]);
        Assert.Equal(result, h.CallSigned(HelperId.ProbeReadUserStr, dst, (ulong)size, memory.StringAddress));
        Assert.Equal(copied, h.CString(dst, size));
    }

    /// <summary>One readable page (at 1 MiB, a multiple of every page size) with <paramref name="tail"/> at its very
    /// end; the pages around it are unmapped.</summary>
    sealed class OnePage(string tail) : IUserMemory
    {
        const ulong Start = 0x10_0000;

        readonly byte[] bytes = Page(tail);

        public ulong StringAddress => Start + (ulong)bytes.Length - (ulong)tail.Length;

        public bool TryRead(ulong address, Span<byte> destination)
        {
            if (address < Start || address + (ulong)destination.Length > Start + (ulong)bytes.Length) return false;
            bytes.AsSpan((int)(address - Start), destination.Length).CopyTo(destination);
            return true;
        }

        static byte[] Page(string tail)
        {
            var page = new byte[Environment.SystemPageSize];
            Encoding.ASCII.GetBytes(tail).CopyTo(page, page.Length - tail.Length);
            return page;
        }
    }
}
