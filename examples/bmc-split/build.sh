#!/usr/bin/env bash
# Rebuilds bmc_split.o and bmc_single.o with the fixtures' pinned compiler line.
set -euo pipefail
cd "$(dirname "$0")"
source ../../tests/fixtures/bpf-cc.sh
bpf_cc bmc_split.c bmc_split.o
bpf_cc bmc_single.c bmc_single.o
