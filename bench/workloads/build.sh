#!/usr/bin/env bash
# Builds the benchmark-only workloads (bench compile-time: about 10 000 and 100 000 instructions, and one refused at
# the verifier's 1M processed-instruction limit; kept out of
# tests/fixtures, whose every object the tests mutate and load 60 times), with the fixtures' pinned compiler line.
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
bpf_cc large.bpf.c large_10k.o -DPARTS=1
bpf_cc large.bpf.c large_100k.o -DPARTS=10
bpf_cc large.bpf.c large_1m_refused.o -DPARTS=1 -DSELECT
