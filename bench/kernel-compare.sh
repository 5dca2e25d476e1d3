#!/bin/bash
# kernel-compare.sh - the workloads of ../shared/bench/run.sh, timed in the running kernel (bpftool prog run ...
# repeat N, BPF_PROG_TEST_RUN) and in BpfSharp (bpfsharp run ... --repeat N --engine jit) in the same run, each
# derived figure computed by run.sh's subtraction method on both sides, then the ratio BpfSharp / kernel beside both
# absolute figures. First the kernel's mitigation state (they tax the kernel's entry and indirect jumps, and every
# process's calls and returns), last each side's processes in wall and CPU time (a loaded machine moves the first).
# Usage (root, bpftool): bench/kernel-compare.sh     env: REP, REPC, RUNS, ENGINE (jit|interpreter)
set -u
cd "$(dirname "$0")/.."
FIX=tests/fixtures/bench
FS=/sys/fs/bpf
REP=${REP:-1000000}     # repeats for cheap programs
REPC=${REPC:-20000}     # repeats for the 10k-iteration xorshift program
RUNS=${RUNS:-5}
ENGINE=${ENGINE:-jit}

[ "$(id -u)" = 0 ] || { echo "kernel-compare.sh: needs root (the kernel side loads programs with bpftool)" >&2; exit 1; }
command -v bpftool >/dev/null || { echo "kernel-compare.sh: needs bpftool" >&2; exit 1; }
dotnet build -c Release src/BpfSharp.Cli -v q -nologo >/dev/null || exit 1
CLI=src/BpfSharp.Cli/bin/Release/net10.0/BpfSharp.Cli.dll
PKT=$(mktemp)

cleanup() { rm -rf $FS/kc_tc $FS/kc_tc_maps $FS/kc_b2b $FS/kc_cmp "$PKT" "${TIMES:-}"; }
cleanup; trap cleanup EXIT
head -c 64 /dev/zero > "$PKT"
bpftool prog loadall $FIX/tailchain.bpf.o $FS/kc_tc pinmaps $FS/kc_tc_maps || exit 1
bpftool prog loadall $FIX/bpf2bpf.bpf.o $FS/kc_b2b || exit 1
bpftool prog loadall $FIX/compute.bpf.o $FS/kc_cmp || exit 1

echo "Linux $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); mitigations:"
for f in /sys/devices/system/cpu/vulnerabilities/*; do
	state=$(cat "$f"); [ "$state" = "Not affected" ] || printf '  %s: %s\n' "${f##*/}" "$state"
done

# timed SIDE COMMAND... runs COMMAND, adding its wall, user and system seconds to SIDE's line of $TIMES
TIMES=$(mktemp)
timed() {
	local side=$1; shift
	{ TIMEFORMAT="$side %R %U %S"; time "$@" 2>/dev/null; } 2>>"$TIMES"
}
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
# kernel PIN REPEAT -> median ns per run of RUNS runs
kernel() {
	for i in $(seq $RUNS); do
		timed kernel bpftool prog run pinned "$1" data_in "$PKT" repeat "$2" \
			| sed -n 's/.*duration (average): \([0-9]*\)ns/\1/p'
	done | median
}
# ours OBJ PROGRAM REPEAT [--tail-call ...] -> median ns per run of RUNS runs (one process each, as bpftool)
ours() {
	local obj=$1 prog=$2 rep=$3; shift 3
	for i in $(seq $RUNS); do
		timed bpfsharp dotnet $CLI run "$obj" "$prog" --repeat "$rep" --engine "$ENGINE" --json "$@" \
			| sed -n 's/.*"durationNs": \([0-9]*\).*/\1/p'
	done | median
}
# fill the pinned MAP with keys 1..K -> PREFIX$k (or SAME); sets TAIL to the same slots as --tail-call options
fill() {
	local map=$1 K=$2 pfx=$3 same=${4:-}
	TAIL=()
	for k in $(seq 0 39); do bpftool map delete pinned $FS/kc_tc_maps/$map key $k 0 0 0 2>/dev/null; done
	for k in $(seq 1 "$K"); do
		bpftool map update pinned $FS/kc_tc_maps/$map key $k 0 0 0 value pinned $FS/kc_tc/${same:-$pfx$k} || exit 1
		TAIL+=(--tail-call "$map:$k=${same:-$pfx$k}")
	done
}
ratio() { echo "scale=2; $1 / $2" | bc; }
row() { printf '%-34s %12s %12s %8s\n' "$@"; }

row "workload (ns)" kernel bpfsharp ratio
row "-------------" ------ -------- -----
for spec in "bare-direct bare bare bare0" "cb-direct progs prog prog0" "cb-indirect progs - dyn_entry dyn"; do
	set -- $spec
	name=$1 map=$2 pfx=$3 entry=$4 same=${5:-}
	for K in 0 32; do
		fill $map $K $pfx $same
		k=$(kernel $FS/kc_tc/$entry $REP); o=$(ours $FIX/tailchain.bpf.o $entry $REP "${TAIL[@]}")
		row "$name K=$K per run" $k $o $(ratio $o $k)
		eval "K$K=$k O$K=$o"
	done
	fill $map 0 $pfx
	k=$(echo "scale=2; ($K32 - $K0) / 32" | bc); o=$(echo "scale=2; ($O32 - $O0) / 32" | bc)
	row "$name per tail call (T32-T0)/32" $k $o $(ratio $o $k)
done

declare -A KB OB
for p in empty nest0 nest7 loop1000_inline loop1000; do
	KB[$p]=$(kernel $FS/kc_b2b/$p $REP); OB[$p]=$(ours $FIX/bpf2bpf.bpf.o $p $REP)
	row "bpf2bpf $p per run" ${KB[$p]} ${OB[$p]} $(ratio ${OB[$p]} ${KB[$p]})
done
k=$(echo "scale=2; (${KB[nest7]} - ${KB[nest0]}) / 7" | bc); o=$(echo "scale=2; (${OB[nest7]} - ${OB[nest0]}) / 7" | bc)
row "bpf2bpf call (nest7-nest0)/7" $k $o $(ratio $o $k)
k=$(echo "scale=3; (${KB[loop1000]} - ${KB[loop1000_inline]}) / 1000" | bc)
o=$(echo "scale=3; (${OB[loop1000]} - ${OB[loop1000_inline]}) / 1000" | bc)
row "bpf2bpf call (loop-inline)/1000" $k $o $(ratio $o $k)
row "empty program (test-run overhead)" ${KB[empty]} ${OB[empty]} $(ratio ${OB[empty]} ${KB[empty]})

ke=$(kernel $FS/kc_cmp/empty $REP); oe=$(ours $FIX/compute.bpf.o empty $REP)
kf=$(kernel $FS/kc_cmp/fib90 $REP); of=$(ours $FIX/compute.bpf.o fib90 $REP)
k=$(echo "scale=3; ($kf - $ke) / 90" | bc); o=$(echo "scale=3; ($of - $oe) / 90" | bc)
row "fib90 per iteration" $k $o $(ratio $o $k)
kx=$(kernel $FS/kc_cmp/xorshift $REPC); ox=$(ours $FIX/compute.bpf.o xorshift $REPC)
k=$(echo "scale=3; ($kx - $ke) / 10000" | bc); o=$(echo "scale=3; ($ox - $oe) / 10000" | bc)
row "xorshift per iteration" $k $o $(ratio $o $k)
if [ "$ENGINE" = jit ]; then
	oi=$(ENGINE=interpreter ours $FIX/compute.bpf.o xorshift $(( REPC / 10 )))
	i=$(echo "scale=3; ($oi - $oe) / 10000" | bc)
	row "xorshift per iteration, interpreter" - $i "$(ratio $i $o)x jit"
fi
for side in kernel bpfsharp; do
	awk -v side=$side '$1 == side { n++; wall += $2; cpu += $3 + $4 }
		END { printf "%s side: %d processes, %.1f s wall, %.1f s CPU (user+sys)\n", side, n, wall, cpu }' "$TIMES"
done
