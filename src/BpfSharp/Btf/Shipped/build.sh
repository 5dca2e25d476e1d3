#!/bin/sh
# Rebuilds x86_64.btf and arm64.btf (embedded in BpfSharp) from contexts.c with clang-19; needs linux-libc-dev.
set -e
cd "$(dirname "$0")"
for arch in x86_64 arm64; do
    define=$(echo "BPFSHARP_$arch" | tr a-z A-Z)
    clang-19 -g -O2 -target bpf -D"$define" -I/usr/include/"$(uname -m)"-linux-gnu -c contexts.c -o "/tmp/contexts-$arch.o"
    llvm-objcopy-19 --dump-section .BTF="$arch.btf" "/tmp/contexts-$arch.o"
    rm -f "/tmp/contexts-$arch.o"
done
