using BpfSharp.Verification.State;

namespace BpfSharp.Verification;

/// <summary><c>struct bpf_sockopt</c> as the context of cgroup getsockopt and setsockopt programs
/// (<c>cg_sockopt_is_valid_access</c>): the socket, and the option's bytes as a packet (<c>optval</c> to
/// <c>optval_end</c>), each a whole 8-byte pointer; level and optname (written by setsockopt programs), optlen (read and
/// written), retval (getsockopt programs only). The program returns 0 (refuse) or 1.</summary>
internal sealed class SockoptRules(string? hook) : ContextRules
{
    const int OptvalField = 8, OptvalEnd = 16, Level = 24, Optname = 28, Optlen = 32, Retval = 36;

    bool Get => hook == "getsockopt";

    public override string Name => "bpf_sockopt";

    public override int Size => 40;

    public override (long Min, long Max)? ReturnRange => (0, 1);

    public override bool Allows(int offset, int size, bool write, out RegisterKind loaded)
    {
        loaded = RegisterKind.Scalar;
        if (offset < 0 || offset >= Size || offset % size != 0) return false;
        if (write)
            return offset switch
            {
                Retval => size == 4 && Get,
                Optname or Level => size == 4 && hook == "setsockopt",
                Optlen => size == 4,
                _ => false,
            };
        switch (offset)
        {
            case < OptvalField:
                loaded = RegisterKind.Sock;
                return offset == 0 && size == 8;
            case < OptvalEnd:
                loaded = RegisterKind.Packet;
                return offset == OptvalField && size == 8;
            case < Level:
                loaded = RegisterKind.PacketEnd;
                return offset == OptvalEnd && size == 8;
            case Retval:
                return size == 4 && Get;
            default:
                return size == 4;
        }
    }
}
