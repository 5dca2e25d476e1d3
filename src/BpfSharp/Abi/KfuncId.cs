namespace BpfSharp.Abi;

/// <summary>BpfSharp's own numbers for the kfuncs it provides. The kernel numbers kfuncs by their vmlinux BTF ids,
/// which change with every build; these stay fixed, so that a linked program means the same everywhere.</summary>
internal enum KfuncId
{
    IterNumNew = 1,
    IterNumNext = 2,
    IterNumDestroy = 3,
    RcuReadLock = 4,
    RcuReadUnlock = 5,
    PreemptDisable = 6,
    PreemptEnable = 7,
    Trap = 8,
    DynptrFromSkb = 9,
    DynptrFromXdp = 10,
    DynptrSlice = 11,
    DynptrSliceRdwr = 12,
    DynptrAdjust = 13,
    DynptrIsNull = 14,
    DynptrIsRdonly = 15,
    DynptrSize = 16,
    DynptrClone = 17,
    IterBitsNew = 18,
    IterBitsNext = 19,
    IterBitsDestroy = 20,
    CastToKernCtx = 21,
    XdpPullData = 22,
    DynptrCopy = 23,
    DynptrMemset = 24,
    RdonlyCast = 25,
}
