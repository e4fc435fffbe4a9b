#!/usr/bin/env bash
# GLPK's control parameters one at a time, in process, against Arsenal's settings: the cold
# first stage (presolver on, as by default) and all four stages of `arsenal solve`.
#
#   Benchmarks/knobs.sh                                  # the bundled data set, 3 repeats
#   REPEAT=3 Benchmarks/knobs.sh Inputs/europe-2027 /tmp/gen-medium
#   KNOBS="--glpk merge=off;--no-presolve" Benchmarks/knobs.sh /tmp/gen-medium   # some settings only
#
# "default" is Arsenal's settings. Prints, per data folder, the medians of REPEAT runs: the first stage's iterations and CPU
# time (GLPK's thread) and the four stages' CPU time, each also as a ratio to Arsenal's
# settings (below 1 is faster). Needs a release build (built if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
arsenal="$here/.build/release/arsenal"
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$arsenal" ] || (cd "$here" && swift build -c release --product arsenal >/dev/null)
[ $# -gt 0 ] || set -- "$here/Inputs/europe-2027"

knobs=(
  ""
  "--no-presolve"
  "--glpk merge=off"
  "--glpk scale=auto" "--glpk scale=none" "--glpk scale=geometric" "--glpk scale=equilibrium"
  "--glpk scale=geometric-equilibrium"
  "--glpk bf=bg" "--glpk bf=gr" "--glpk bf=btf-bg" "--glpk bf=btf-gr"
  "--glpk excl=off" "--glpk shift=off" "--glpk aorn=nt"
  "--glpk pricing=std" "--glpk ratio=std" "--glpk ratio=flip"
  "--glpk tol_bnd=1e-6" "--glpk tol_dj=1e-6" "--glpk tol_piv=1e-9" "--glpk tol_piv=1e-8"
  "--presolve"  # the default again: how far two runs of one setting differ
)
if [ -n "${KNOBS:-}" ]; then
  IFS=';' read -r -a chosen <<< "$KNOBS"
  knobs=("" "${chosen[@]}" "--presolve")
fi
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "Benchmarks/knobs.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), medians of $repeat runs"
for data in "$@"; do
  echo
  echo "### $(basename "$data")"
  echo
  echo "| setting | first stage: iterations | CPU | ÷ Arsenal's | four stages: iterations | CPU | ÷ Arsenal's | same plan |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  "$arsenal" solve --data "$data" --out "$work/reference" --force --quiet
  # Round robin: every setting once per round, so that a machine slowing down over the run
  # (wall time here drifts by up to 1.5x from hour to hour) weighs on all settings alike.
  rm -f "$work"/runs.*
  for ((i = 0; i < repeat; i++)); do
    for k in "${!knobs[@]}"; do
      # shellcheck disable=SC2086
      "$arsenal" solve --data "$data" --out "$work/out.$k" --force --verbose ${knobs[$k]} 2> "$work/log" > /dev/null || true
      # stage NAME: 4078 iterations, 0.421 s (CPU 0.419 s), objective …
      grep '^stage' "$work/log" | sed -E 's/^[^:]*: ([0-9]+) iterations, [0-9.]+ s \(CPU ([0-9.]+) s\).*/\1 \2/' |
        awk 'NR == 1 { i1 = $1; c1 = $2 } { i4 += $1; c4 += $2 } END { print i1, c1, i4, c4 }' >> "$work/runs.$k"
    done
  done
  base1="" base4=""
  for k in "${!knobs[@]}"; do
    f="$work/runs.$k"
    i1=$(cut -d' ' -f1 "$f" | median); c1=$(cut -d' ' -f2 "$f" | median)
    i4=$(cut -d' ' -f3 "$f" | median); c4=$(cut -d' ' -f4 "$f" | median)
    [ -n "$base1" ] || { base1=$c1; base4=$c4; }
    same=yes
    for csv in allocations.csv shortfalls.csv utilisation.csv; do
      cmp -s "$work/reference/$csv" "$work/out.$k/$csv" || same=no
    done
    label=${knobs[$k]:-default}
    awk -v k="$label" -v i1="$i1" -v c1="$c1" -v b1="$base1" -v i4="$i4" -v c4="$c4" -v b4="$base4" -v s="$same" \
      'BEGIN { printf "| %s | %d | %.3f s | %.2f | %d | %.3f s | %.2f | %s |\n", k, i1, c1, c1 / b1, i4, c4, c4 / b4, s }'
  done
done
