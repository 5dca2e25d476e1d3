#!/usr/bin/env bash
# Rebuilds the chain stages (counter.o, filter.o, rewriter.o) with the fixtures' pinned compiler line
# (tests/fixtures/bpf-cc.sh).
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
for stage in counter filter rewriter; do
	bpf_cc "$stage.c" "$stage.o"
done
