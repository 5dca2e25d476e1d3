#!/bin/bash
# startup.sh - whole-process start-up of bpfsharp: `--version`, `verify` and `run` of the drinks example, each started
# RUNS times as a new process, the median wall time and the median CPU time (user + system, all threads) printed side
# by side, for each way of starting it:
#   dotnet-run   dotnet run --project src/BpfSharp.Cli -- ...   (the README's command: MSBuild checks the build first)
#   apphost      src/BpfSharp.Cli/bin/Release/net10.0/BpfSharp.Cli ...   (dotnet build -c Release)
#   fast         artifacts/bpfsharp/BpfSharp.Cli ...   (dotnet publish -p:FastStart=true: one ReadyToRun image)
# On a machine shared with other jobs the wall time moves with their load; the CPU time much less: trust that one.
# Usage: bench/startup.sh [WAY...]     env: RUNS (11), DOTNET_RUN_RUNS (3), NO_BUILD=1 (use what is built)
set -u
cd "$(dirname "$0")/.."
RUNS=${RUNS:-11}
DOTNET_RUN_RUNS=${DOTNET_RUN_RUNS:-3}
WAYS=("$@"); [ ${#WAYS[@]} -gt 0 ] || WAYS=(dotnet-run apphost fast)
RID=linux-$(uname -m | sed -e s/x86_64/x64/ -e s/aarch64/arm64/)

if [ -z "${NO_BUILD:-}" ]; then
	dotnet build src/BpfSharp.Cli -c Release -nologo -v q >/dev/null || exit 1
	dotnet build src/BpfSharp.Cli -nologo -v q >/dev/null || exit 1
	if [[ " ${WAYS[*]} " == *" fast "* ]]; then
		dotnet publish src/BpfSharp.Cli -c Release -r "$RID" -p:FastStart=true -o artifacts/bpfsharp -nologo -v q >/dev/null \
			|| exit 1
	fi
fi

# measure N COMMAND... -> "WALL CPU" in ms, the medians of N runs (bash's time: getrusage of the child, ms resolution)
measure() {
	local n=$1 i; shift
	local out; out=$(mktemp)
	for i in $(seq "$n"); do
		{ TIMEFORMAT='%3R %3U %3S'; time "$@" >/dev/null 2>&1; } 2>>"$out"
	done
	local wall cpu
	wall=$(awk '{ printf "%d\n", $1 * 1000 }' "$out" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	cpu=$(awk '{ printf "%d\n", ($2 + $3) * 1000 }' "$out" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	rm -f "$out"
	echo "$wall $cpu"
}

echo "bpfsharp start-up, $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d), Linux $(uname -r), $(nproc) CPUs, dotnet $(dotnet --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %-10s %10s %10s %6s\n' way command "wall ms" "cpu ms" runs
for way in "${WAYS[@]}"; do
	case $way in
		dotnet-run) cli=(dotnet run --no-launch-profile --project src/BpfSharp.Cli --); n=$DOTNET_RUN_RUNS ;;
		apphost) cli=(src/BpfSharp.Cli/bin/Release/net10.0/BpfSharp.Cli); n=$RUNS ;;
		fast) cli=(artifacts/bpfsharp/BpfSharp.Cli); n=$RUNS ;;
		*) echo "startup.sh: unknown way '$way' (dotnet-run, apphost, fast)" >&2; exit 2 ;;
	esac
	[ "$way" = dotnet-run ] || [ -x "${cli[0]}" ] || { echo "startup.sh: ${cli[0]} is not built" >&2; exit 1; }
	for spec in "--version:--version" "verify:verify examples/drinks/drinks.o" \
		"run:run examples/drinks/drinks.o server2 --tail-call bar:0=serve_drink"; do
		# shellcheck disable=SC2086 # the command's words
		read -r wall cpu < <(measure "$n" "${cli[@]}" ${spec#*:})
		printf '%-12s %-10s %10s %10s %6s\n' "$way" "${spec%%:*}" "$wall" "$cpu" "$n"
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
