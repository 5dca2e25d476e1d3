#!/usr/bin/env bash
# Rebuilds tracex5.o (x86-64 syscall numbers) and tracex5.arm64.o (arm64's) from tracex5.c with the fixtures'
# pinned compiler line; needs clang-19 and libbpf-dev (bpf_helpers.h, bpf_tracing.h, bpf_core_read.h).
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
bpf_cc tracex5.c tracex5.o -D__TARGET_ARCH_x86
bpf_cc tracex5.c tracex5.arm64.o -D__TARGET_ARCH_arm64
