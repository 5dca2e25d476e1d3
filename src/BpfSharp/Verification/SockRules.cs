using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary><c>struct bpf_sock</c> as the context of cgroup sock programs (<c>sock_filter_is_valid_access</c>):
/// which fields a hook may touch (<c>__sock_filter_check_attach_type</c>: bound_dev_if, mark and priority written at
/// socket creation and release, the source address and port read after bind) within what
/// <c>bpf_sock_is_valid_access</c> allows; the program returns 0 or 1.</summary>
internal sealed class SockRules(string? hook) : ContextRules
{
    const int BoundDevIf = 0, Mark = 16, Priority = 20, SrcIp4 = 24, SrcIp6 = 28, SrcPort = 44;

    bool CreateOrRelease => hook is "sock" or "sock_create" or "sock_release";

    public override string Name => "bpf_sock";

    public override int Size => 80;

    public override (long Min, long Max)? ReturnRange => (0, 1);

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        var field = offset - offset % 4;
        var allowed = field switch
        {
            BoundDevIf or Mark or Priority => CreateOrRelease,
            SrcIp4 => hook == "post_bind4" && !write,
            >= SrcIp6 and < SrcPort => hook == "post_bind6" && !write,
            SrcPort => hook is "post_bind4" or "post_bind6" && !write,
            _ => !write,
        };
        return allowed && SocketFields.Readable(RegisterKind.Sock, offset, size);
    }
}
