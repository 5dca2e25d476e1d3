#!/usr/bin/env bash
# Rebuilds fib.o (8 frames: the program and fib6 .. fib0) and fib_too_deep.o (9 frames, which the verifier refuses)
# from fib.c with the fixtures' pinned compiler line.
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
bpf_cc fib.c fib.o -DLEVELS=7
bpf_cc fib.c fib_too_deep.o -DLEVELS=8
