using BpfSharp.Abi;
using BpfSharp.Helpers;

namespace BpfSharp.Tests.Helpers;

/// <summary>StandardHelpers.Create registers every helper BpfSharp implements, by the kernel's id and name.</summary>
public class StandardHelpersTests
{
    static readonly HelperId[] Implemented =
    [
        HelperId.MapLookupElem, HelperId.MapUpdateElem, HelperId.MapDeleteElem, HelperId.ProbeRead, HelperId.KtimeGetNs,
        HelperId.TracePrintk, HelperId.GetPrandomU32, HelperId.GetSmpProcessorId, HelperId.SkbStoreBytes,
        HelperId.L3CsumReplace, HelperId.L4CsumReplace, HelperId.GetCurrentPidTgid, HelperId.GetCurrentUidGid,
        HelperId.GetCurrentComm, HelperId.Redirect, HelperId.SkbLoadBytes, HelperId.CsumDiff, HelperId.CsumUpdate,
        HelperId.GetNumaNodeId, HelperId.XdpAdjustHead, HelperId.ProbeReadStr, HelperId.XdpAdjustMeta,
        HelperId.XdpAdjustTail, HelperId.SkbLoadBytesRelative, HelperId.Strtol, HelperId.Strtoul, HelperId.ProbeReadUser,
        HelperId.ProbeReadKernel, HelperId.ProbeReadUserStr, HelperId.ProbeReadKernelStr, HelperId.Jiffies64,
        HelperId.KtimeGetBootNs, HelperId.KtimeGetCoarseNs, HelperId.Snprintf, HelperId.GetFuncIp,
        HelperId.GetAttachCookie, HelperId.TraceVprintk, HelperId.Strncmp, HelperId.SkbChangeTail, HelperId.SkbChangeHead,
        HelperId.SkbVlanPush, HelperId.SkbVlanPop, HelperId.SkbAdjustRoom,
    ];

    [Fact]
    public void Every_implemented_helper_is_registered_under_its_kernel_name()
    {
        var table = StandardHelpers.Create();
        Assert.All(Implemented, id =>
        {
            Assert.NotNull(table.Find((int)id));
            Assert.Equal(HelperNames.KernelName(id), table.NameOf((int)id));
        });
    }

    [Theory]
    [InlineData(HelperId.TracePrintk, 6)]
    [InlineData(HelperId.Snprintf, 165)]
    [InlineData(HelperId.TraceVprintk, 177)]
    [InlineData(HelperId.GetFuncIp, 173)]
    [InlineData(HelperId.Strncmp, 182)]
    [InlineData(HelperId.XdpAdjustTail, 65)]
    [InlineData(HelperId.SkbChangeTail, 38)]
    [InlineData(HelperId.SkbChangeHead, 43)]
    [InlineData(HelperId.SkbAdjustRoom, 50)]
    public void Helper_ids_are_the_kernels_numbers(HelperId id, int number) => Assert.Equal(number, (int)id);
}
