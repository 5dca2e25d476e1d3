#!/usr/bin/env bash
# Builds the benchmark-only workloads (bench compile-time: about 10 000 and 100 000 instructions; kept out of
# tests/fixtures, whose every object the tests mutate and load 60 times), with the fixtures' pinned compiler line.
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
bpf_cc large.bpf.c large_10k.o -DPARTS=1
bpf_cc large.bpf.c large_100k.o -DPARTS=10
