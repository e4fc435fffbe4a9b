#!/usr/bin/env bash
# Warm against cold, side by side: a risk study and a sweep on the bundled data, each run
# REPEAT times (default 3) warm and cold, medians of wall time, CPU time (user + system)
# and GLPK's simplex iterations (which do not vary from run to run; wall time here does,
# by about ±20 %).
#
#   Benchmarks/warm-starts.sh                 # 100 draws, the 10 lowest Aschau points, 3 repeats
#   DRAWS=1000 WORKERS=2 REPEAT=1 Benchmarks/warm-starts.sh
#
# Needs a release build (`swift build -c release --product arsenal`; built if missing).
# The numbers in docs/PERFORMANCE.md ("Risk studies and hedges", "Whole lots in sweeps")
# come from runs like these.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
arsenal="$here/.build/release/arsenal"
draws=${DRAWS:-100}
workers=${WORKERS:-1}
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$arsenal" ] || (cd "$here" && swift build -c release --product arsenal >/dev/null)

# One run: prints "wall cpu iterations".
once() {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" --out "$work/out" --force > "$work/log" 2>&1
  local wall user sys iterations
  read -r wall user sys < "$work/time"
  iterations=$(sed -nE 's/.*; ([0-9]+) simplex iterations.*/\1/p' "$work/log" | tail -1)
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') ${iterations:-?}"
}

# The median of each column over REPEAT runs: "wall cpu iterations".
median_of() {
  for _ in $(seq "$repeat"); do once "$@"; done > "$work/runs"
  local out=()
  for c in 1 2 3; do
    out+=("$(cut -d' ' -f"$c" "$work/runs" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')")
  done
  echo "${out[*]}"
}

printf '%-44s %10s %10s %12s\n' "run (median of $repeat)" "wall s" "CPU s" "iterations"
row() {
  local name=$1
  shift
  read -r wall cpu iterations < <(median_of "$@")
  printf '%-44s %10s %10s %12s\n' "$name" "$wall" "$cpu" "$iterations"
}
risk=("$arsenal" risk baseline --data "$here/Inputs/europe-2027" --draws "$draws" --measure 0 --workers "$workers")
row "risk baseline, $draws draws, warm (anchor)" "${risk[@]}"
row "risk baseline, $draws draws, cold" "${risk[@]}" --cold
sweep=("$arsenal" sweep --data "$here/Inputs/europe-2027" --workers "$workers"
  --param "capacity producer=nitrochemie-aschau from=0.5 to=0.68 step=0.02")
row "sweep Aschau 0.5-0.68 (10 points), warm" "${sweep[@]}"
row "sweep Aschau 0.5-0.68 (10 points), cold" "${sweep[@]}" --cold
