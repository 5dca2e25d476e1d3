namespace BpfSharp;

/// <summary>The Linux errno values maps, helpers and test runs return (negated, as the kernel does), with the names
/// people grep for.</summary>
internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ENXIO = 6, E2BIG = 7, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
        EBUSY = 16, EEXIST = 17, ENODEV = 19, EINVAL = 22, ENOSPC = 28, ERANGE = 34, EDEADLK = 35, EPROTO = 71, EOVERFLOW = 75, EOPNOTSUPP = 95, EALREADY = 114;

    /// <summary>The kernel-internal ENOTSUPP, which reaches user space as 524 (ringbuf and unsupported
    /// lookup-and-delete return it).</summary>
    public const int ENOTSUPP = 524;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", ENXIO => "ENXIO", E2BIG => "E2BIG", EBADF => "EBADF", EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM", EACCES => "EACCES", EFAULT => "EFAULT", ERANGE => "ERANGE", EDEADLK => "EDEADLK", EBUSY => "EBUSY", ENODEV => "ENODEV", EEXIST => "EEXIST", EINVAL => "EINVAL", ENOSPC => "ENOSPC",
        EOVERFLOW => "EOVERFLOW", EOPNOTSUPP => "EOPNOTSUPP", EALREADY => "EALREADY", ENOTSUPP => "ENOTSUPP", _ => $"errno {errno}",
    };

    public static string Describe(int errno) => errno switch
    {
        EPERM => "operation not permitted",
        ENOENT => "no such element",
        E2BIG => "too big: the map is full or the index is past max_entries",
        EBADF => "no such map, program or socket",
        EAGAIN => "no room right now, try again",
        ENOMEM => "out of memory",
        EACCES => "permission denied",
        EFAULT => "bad address",
        ERANGE => "result out of range",
        EDEADLK => "would wait for itself",
        EBUSY => "busy",
        EEXIST => "key exists",
        EINVAL => "invalid argument",
        ENOSPC => "no space left",
        EOVERFLOW => "value too large",
        EOPNOTSUPP or ENOTSUPP => "not supported by this map type",
        _ => "error",
    };

    /// <summary>A negative errno as a helper's 64-bit return value.</summary>
    public static ulong Result(int negativeErrno) => (ulong)(long)negativeErrno;
}
