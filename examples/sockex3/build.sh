#!/usr/bin/env bash
# Rebuilds sockex3.o from sockex3.c with the fixtures' pinned compiler line (tests/fixtures/bpf-cc.sh).
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
bpf_cc sockex3.c sockex3.o
