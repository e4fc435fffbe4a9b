#!/usr/bin/env bash
# The same LP, side by side: Arsenal (GLPK through its C API), glpsol, and HiGHS.
#
#   Benchmarks/compare-solvers.sh DATA_FOLDER [SCENARIO]
#   TIME_LIMIT=600 Benchmarks/compare-solvers.sh DATA_FOLDER   # stop each solver after 600 s
#
# Exports the first stage's LP (the weighted-shortfall LP) as free MPS with `arsenal solve
# --export-mps`, solves it with glpsol (primal and dual simplex) and with HiGHS (scipy's
# linprog, method highs-ds), checks that the objectives agree, and prints times, peak
# memory and ratios. Needs: a release build (`swift build -c release`), glpsol (Debian's
# glpk-utils) and scipy (pip). Installs the last two if they are missing.
set -euo pipefail
data=${1:?usage: Benchmarks/compare-solvers.sh DATA_FOLDER [SCENARIO]}
scenario=${2:-baseline}
limit=${TIME_LIMIT:-0}
here=$(cd "$(dirname "$0")/.." && pwd)
arsenal="$here/.build/release/arsenal"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v glpsol >/dev/null || { apt-get install -y -qq glpk-utils >/dev/null; }
python3 -c "import scipy" 2>/dev/null || pip install -q scipy
[ -x "$arsenal" ] || (cd "$here" && swift build -c release --product arsenal >/dev/null)

# Arsenal: the whole first stage inside `arsenal bench`-style timing (solve only, from its log).
limit_args=()
[ "$limit" != 0 ] && limit_args=(--time-limit "$limit")
/usr/bin/time -f "%e %M" -o "$work/arsenal.time" "$arsenal" solve --data "$data" --scenario "$scenario" \
  --export-mps "$work/lp.mps" --out "$work/report" --verbose "${limit_args[@]}" 2> "$work/arsenal.log" > /dev/null || true
read -r arsenal_wall arsenal_kb < "$work/arsenal.time"
if grep -q '^stage' "$work/arsenal.log"; then
  arsenal_stage=$(grep -m1 '^stage' "$work/arsenal.log")
  arsenal_obj=$(echo "$arsenal_stage" | sed -E 's/.*objective ([0-9.e+-]+).*/\1/')
  arsenal_solve=$(echo "$arsenal_stage" | sed -E 's/.*iterations, ([0-9.]+) s.*/\1/')
else
  arsenal_obj=nan; arsenal_solve=$limit
fi

run_glpsol() {  # method → "objective seconds KiB"
  local tm=(); [ "$limit" != 0 ] && tm=(--tmlim "$limit")
  /usr/bin/time -f "%e %M" -o "$work/glpsol.time" glpsol --freemps "$work/lp.mps" --"$1" --nopresol --nomip "${tm[@]}" \
    > "$work/glpsol.log" 2>&1 || true
  local obj=nan
  grep -q "OPTIMAL LP SOLUTION FOUND" "$work/glpsol.log" &&
    obj=$(grep -E '^[ *#]+ *[0-9]+: obj =' "$work/glpsol.log" | tail -1 | sed -E 's/.*obj = +([0-9.e+-]+).*/\1/')
  read -r secs kb < "$work/glpsol.time"
  echo "$obj $secs $kb"
}
read -r glp_primal_obj glp_primal_s glp_primal_kb < <(run_glpsol primal)
read -r glp_dual_obj glp_dual_s glp_dual_kb < <(run_glpsol dual)

python3 "$here/Benchmarks/highs.py" "$work/lp.mps" > "$work/highs.out"
read -r highs_obj highs_s highs_kb highs_status _ < "$work/highs.out"

python3 - "$arsenal_obj" "$glp_primal_obj" "$glp_dual_obj" "$highs_obj" <<'PY'
import sys
import math
values = dict(zip(["arsenal", "glpsol primal", "glpsol dual", "HiGHS"], map(float, sys.argv[1:])))
solved = {k: v for k, v in values.items() if not math.isnan(v)}
text = ", ".join(f"{k} {v:.10g}" if not math.isnan(v) else f"{k} not solved in the time limit" for k, v in values.items())
if len(solved) >= 2:
    ref = next(iter(solved.values()))
    worst = max(abs(v - ref) / max(1.0, abs(ref)) for v in solved.values())
    text += f"; largest relative difference among the solved {worst:.2e} ({'agree' if worst < 1e-6 else 'DISAGREE'})"
print("objectives: " + text)
PY
head -6 "$work/lp.mps" | sed -n '3,5p' | tr '\n' ' '; echo
printf '| solver | solve time | peak memory | time vs Arsenal |\n|---|---:|---:|---:|\n'
printf '| Arsenal (GLPK primal, in process; whole run %.2f s) | %.2f s | %d MiB | 1.00 |\n' "$arsenal_wall" "$arsenal_solve" $((arsenal_kb / 1024))
awk -v s="$glp_primal_s" -v a="$arsenal_solve" -v k="$glp_primal_kb" 'BEGIN{printf "| glpsol --primal | %.2f s | %d MiB | %.2f |\n", s, k/1024, s/a}'
awk -v s="$glp_dual_s" -v a="$arsenal_solve" -v k="$glp_dual_kb" 'BEGIN{printf "| glpsol --dual | %.2f s | %d MiB | %.2f |\n", s, k/1024, s/a}'
awk -v s="$highs_s" -v a="$arsenal_solve" -v k="$highs_kb" 'BEGIN{printf "| HiGHS (scipy highs-ds) | %.2f s | %d MiB | %.2f |\n", s, k/1024, s/a}'
