#!/usr/bin/env bash
# The speed targets of docs/PERFORMANCE.md as ratios, each measured side by side in one run:
# Arsenal against glpsol and HiGHS on the same exported LP, a warm sweep point against the
# first stage's warm re-solve inside it, and a 100-point sweep against 100 cold solves.
#
#   Benchmarks/targets.sh                                  # the bundled data set, 3 repeats
#   Benchmarks/targets.sh Inputs/europe-2027 /tmp/gen-medium
#   REPEAT=5 SWEEP="capacity item=barrel-155 from=0.5 to=1.49 step=0.01" Benchmarks/targets.sh
#   REPEAT=1 SWEEPS=0 SKIP_NO_PRESOLVE=1 Benchmarks/targets.sh /tmp/gen-large   # the cold part only
#
# Every figure is the median of REPEAT runs (default 3) and is given as wall time, CPU time
# (user + system, or GLPK's own thread for Arsenal's stages) and simplex iterations, which do
# not vary from run to run (wall time on a shared machine does, by up to 1.5x). The cold part
# runs for every data folder given; the sweeps for the first. Needs a release build (built if
# missing), glpsol (Debian's glpk-utils) and scipy (pip); installs the last two if missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
arsenal="$here/.build/release/arsenal"
repeat=${REPEAT:-3}
# The README's sweep (whole lots at its low points) and one whose points buy no lot.
sweep=${SWEEP:-"capacity producer=nitrochemie-aschau from=0.5 to=2.48 step=0.02"}
plain=${PLAIN_SWEEP:-"capacity item=charge-155 from=1.5 to=2.49 step=0.01"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v glpsol >/dev/null || apt-get install -y -qq glpk-utils >/dev/null
python3 -c "import scipy" 2>/dev/null || pip install -q scipy
[ -x "$arsenal" ] || (cd "$here" && swift build -c release --product arsenal >/dev/null)
[ $# -gt 0 ] || set -- "$here/Inputs/europe-2027"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Runs "$@" under /usr/bin/time; sets WALL, CPU (user + system), KIB; output in $work/log.
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/log" 2>&1 || true
  local user sys
  read -r WALL user sys KIB < "$work/time"
  CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
}
# Appends "wall cpu iterations kib" of REPEAT runs of a solver to $work/$1 (a series name).
record() { echo "$1 $2 $3 $4" >> "$work/series.$5"; }
# Prints the medians of a series: "wall cpu iterations kib".
medians() {
  local f="$work/series.$1"
  echo "$(cut -d' ' -f1 "$f" | median) $(cut -d' ' -f2 "$f" | median) $(cut -d' ' -f3 "$f" | median) $(cut -d' ' -f4 "$f" | median)"
}

# "3,241 rows, 8,419 columns, 20,525 non-zeros" of a free MPS file (objective row aside).
mps_size() {
  awk '/^[A-Z]/ { section = $1; next }
    section == "ROWS" && $1 != "N" { rows++ }
    section == "COLUMNS" && $2 != "'"'"'MARKER'"'"'" {
      if ($1 != last) { columns++; last = $1 }
      for (i = 2; i < NF; i += 2) if ($i != "obj") nz++ }
    END { printf "%d rows, %d columns, %d non-zeros", rows, columns, nz }' "$1"
}

cold_part() {  # data folder, tag
  local data=$1 tag=$2 i line
  for ((i = 0; i < repeat; i++)); do
    for p in presolve no-presolve; do
      # SKIP_NO_PRESOLVE=1: on large data sets, where one such run takes many minutes.
      [ "$p" = no-presolve ] && [ "${SKIP_NO_PRESOLVE:-0}" = 1 ] && continue
      # The first run also exports the LP the other solvers read (written before the solve).
      local export=()
      [ "$i" = 0 ] && [ "$p" = presolve ] && export=(--export-mps "$work/$tag.mps")
      timed "$arsenal" solve --data "$data" --out "$work/out" --force --verbose --"$p" "${export[@]}"
      # stage weighted shortfall: 4078 iterations, 0.421 s (CPU 0.419 s), objective …
      line=$(grep -m1 '^stage' "$work/log")
      record "$(echo "$line" | sed -E 's/.*iterations, ([0-9.]+) s.*/\1/')" \
        "$(echo "$line" | sed -E 's/.*\(CPU ([0-9.]+) s\).*/\1/')" \
        "$(echo "$line" | sed -E 's/^[^:]*: ([0-9]+) iterations.*/\1/')" "$KIB" "$tag.arsenal-$p"
    done
    for p in --nopresol ""; do
      # shellcheck disable=SC2086
      timed glpsol --freemps "$work/$tag.mps" --primal $p --nomip -o "$work/solution.txt"
      record "$WALL" "$CPU" "$(grep -E '^[ *#]+ *[0-9]+: obj' "$work/log" | tail -1 | sed -E 's/^[ *#]+ *([0-9]+):.*/\1/')" \
        "$KIB" "$tag.glpsol${p:-presol}"
    done
    python3 "$here/Benchmarks/highs.py" "$work/$tag.mps" > "$work/highs.out"
    read -r _ hw hk _ hc hn < "$work/highs.out"
    record "$hw" "$hc" "$hn" "$hk" "$tag.highs"
  done
  local hcpu
  hcpu=$(medians "$tag.highs" | cut -d' ' -f2)
  echo
  echo "### $(basename "$data"): the first stage's LP, cold ($(mps_size "$work/$tag.mps"))"
  echo
  echo "| solver | iterations | wall | CPU | CPU ÷ HiGHS | peak memory |"
  echo "|---|---:|---:|---:|---:|---:|"
  for s in arsenal-presolve arsenal-no-presolve glpsol--nopresol glpsolpresol highs; do
    [ -f "$work/series.$tag.$s" ] || continue
    read -r w c n k <<< "$(medians "$tag.$s")"
    local name=$s
    case $s in
      arsenal-presolve) name="Arsenal, presolver on (default); memory of the whole run" ;;
      arsenal-no-presolve) name="Arsenal, --no-presolve; memory of the whole run" ;;
      glpsol--nopresol) name="glpsol --primal --nopresol" ;;
      glpsolpresol) name="glpsol --primal (presolver)" ;;
      highs) name="HiGHS dual simplex (scipy highs-ds)" ;;
    esac
    awk -v n="$name" -v it="$n" -v w="$w" -v c="$c" -v h="$hcpu" -v k="$k" \
      'BEGIN { printf "| %s | %d | %.3f s | %.3f s | %.2f | %d MiB |\n", n, it, w, c, c / h, k / 1024 }'
  done
  read -r _ _ _ ak <<< "$(medians "$tag.arsenal-presolve")"
  # Against glpsol's default (its presolver, as Arsenal's), and without the presolver.
  read -r _ _ _ gk <<< "$(medians "$tag.glpsolpresol")"
  read -r _ _ _ nk <<< "$(medians "$tag.glpsol--nopresol")"
  awk -v a="$ak" -v g="$gk" -v n="$nk" 'BEGIN {
    printf "\nPeak memory, Arsenal'"'"'s whole run ÷ glpsol'"'"'s: %.2f (glpsol --nopresol: %.2f)\n", a / g, a / n }'
}

sweep_part() {  # data folder, parameter, tag
  local data=$1 param=$2 tag=$3 i
  for ((i = 0; i < repeat; i++)); do
    timed "$arsenal" sweep --data "$data" --param "$param" --out "$work/sweep" --force --verbose
    record "$WALL" "$CPU" "$(sed -nE 's/.*; ([0-9]+) simplex iterations.*/\1/p' "$work/log")" "$KIB" "$tag"
    grep '^per warm point' "$work/log" >> "$work/breakdown.$tag"
  done
  read -r w c n _ <<< "$(medians "$tag")"
  read -r _ gc _ _ <<< "$(medians "cold.glpsol--nopresol")"
  read -r _ pc _ _ <<< "$(medians "cold.glpsolpresol")"
  read -r _ hc _ _ <<< "$(medians "cold.highs")"
  local points
  points=$(sed -nE 's/^([0-9]+) of ([0-9]+) points.*/\2/p' "$work/log")
  echo
  echo "### Sweep \`$param\` ($points points, every core)"
  echo
  awk -v w="$w" -v c="$c" -v n="$n" -v p="$points" -v g="$gc" -v q="$pc" -v h="$hc" 'BEGIN {
    printf "| | wall | CPU | iterations |\n|---|---:|---:|---:|\n"
    printf "| the sweep (median of runs) | %.2f s | %.2f s | %d |\n", w, c, n
    printf "| %d cold glpsol --nopresol solves of the baseline LP | | %.2f s | |\n", p, p * g
    printf "| %d cold glpsol solves (presolver) | | %.2f s | |\n", p, p * q
    printf "| %d cold HiGHS solves | | %.2f s | |\n", p, p * h
    printf "\nCPU: %d cold glpsol solves ÷ the sweep = %.1f (presolver: %.1f); %d HiGHS solves ÷ the sweep = %.2f\n", p, p * g / c, p * q / c, p, p * h / c
  }'
  # per warm point (90): 0.3114 s = formulate 0.0273 s, weighted shortfall 0.0047 s (CPU …
  echo
  echo "Where a warm point's time goes (median run):"
  echo
  local mid
  mid=$(awk '{ print $5, NR }' "$work/breakdown.$tag" | sort -g | awk -v r="$repeat" 'NR == int((r + 1) / 2) { print $2 }')
  sed -n "${mid}p" "$work/breakdown.$tag" | sed 's/^/    /'
  sed -n "${mid}p" "$work/breakdown.$tag" |
    sed -E 's/^per warm point \([0-9]+\): ([0-9.]+) s = .*formulate [0-9.]+ s, [^,(]+ ([0-9.]+) s \(CPU.*/\1 \2/' |
    awk '{ printf "\nA warm point ÷ its first stage'"'"'s warm re-solve: %.1f\n", $1 / $2 }'
}

echo "Benchmarks/targets.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, medians of $repeat runs"
first=1
for data in "$@"; do
  tag=d$first
  [ "$first" = 1 ] && tag=cold
  cold_part "$data" "$tag"
  first=$((first + 1))
done
if [ "${SWEEPS:-1}" != 0 ]; then
  sweep_part "$1" "$sweep" main
  sweep_part "$1" "$plain" plain
fi
