#!/usr/bin/env bash
# Rebuilds drinks.o from drinks.c (the seeds' server1/server2 puzzle) with the fixtures' pinned compiler line.
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
bpf_cc drinks.c drinks.o
