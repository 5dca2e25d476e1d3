using BpfSharp.Execution;

namespace BpfSharp.Helpers;

/// <summary>The helpers every program gets, by kernel id; hosts register more on the returned table.</summary>
internal static class StandardHelpers
{
    /// <summary>A new table with the standard helpers.</summary>
    public static HelperTable Create()
    {
        var table = new HelperTable();
        TimeHelpers.Register(table);
        CallbackHelpers.Register(table);
        SpinLockHelpers.Register(table);
        TimerHelpers.Register(table);
        MapHelpers.Register(table);
        RingBufHelpers.Register(table);
        DynptrHelpers.Register(table);
        PerfEventHelpers.Register(table);
        PrintfHelpers.Register(table);
        TaskHelpers.Register(table);
        ProbeReadHelpers.Register(table);
        MiscHelpers.Register(table);
        StringHelpers.Register(table);
        SkbHelpers.Register(table);
        SkbResizeHelpers.Register(table);
        SkbVlanHelpers.Register(table);
        SkbAdjustRoomHelper.Register(table);
        ChecksumHelpers.Register(table);
        RedirectHelpers.Register(table);
        XdpHelpers.Register(table);
        XdpBytesHelpers.Register(table);
        SocketHelpers.Register(table);
        MtuHelpers.Register(table);
        CookieHelpers.Register(table);
        StackHelpers.Register(table);
        SeqHelpers.Register(table);
        LocalStorageHelpers.Register(table);
        TunnelKeyHelpers.Register(table);
        FuncArgHelpers.Register(table);
        return table;
    }
}
