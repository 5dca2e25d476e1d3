#!/bin/sh
# Asks the running kernel about every verifier case and rewrites the "-- kernel" sections of Cases/*.case and
# Cases/RECORDED_ON with its answers. Needs root (bpf()). Review the diff: a changed verdict is a kernel change.
set -eu
cd "$(dirname "$0")/../../.."
BPFSHARP_RECORD_KERNEL=1 dotnet test tests/BpfSharp.Tests \
    --filter "FullyQualifiedName~BpfSharp.Tests.Verification.KernelVerdictRecorder" \
    --logger "console;verbosity=detailed"
