namespace BpfSharp.Maps;

/// <summary>Awaiting a producer's wake-up without holding a thread: a consumer of a ring or perf buffer may wait for
/// hours between records.</summary>
internal static class AsyncWait
{
    /// <summary>Completes when <paramref name="handle"/> is signalled; cancelled with <paramref name="cancellation"/>.</summary>
    public static async Task For(WaitHandle handle, CancellationToken cancellation)
    {
        var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = ThreadPool.RegisterWaitForSingleObject(handle, (_, _) => signalled.TrySetResult(), null,
            Timeout.Infinite, executeOnlyOnce: true);
        try
        {
            await using (cancellation.Register(() => signalled.TrySetCanceled(cancellation)))
                await signalled.Task.ConfigureAwait(false);
        }
        finally
        {
            registration.Unregister(null);
        }
    }
}
