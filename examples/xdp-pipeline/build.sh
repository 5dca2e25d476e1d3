#!/usr/bin/env bash
# Rebuilds xdp_pipeline.o from xdp_pipeline.c with the fixtures' pinned compiler line (tests/fixtures/bpf-cc.sh).
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
bpf_cc xdp_pipeline.c xdp_pipeline.o
