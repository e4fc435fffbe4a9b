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
  /usr/bin/time -f "%e %M" -o "$work/glpsol.time" glpsol --freemps "$work/lp.mps" --"$1" --nopresol "${tm[@]}" \
    > "$work/glpsol.log" 2>&1 || true
  local obj=nan
  grep -q "OPTIMAL LP SOLUTION FOUND" "$work/glpsol.log" &&
    obj=$(grep -E '^[ *#]+ *[0-9]+: obj =' "$work/glpsol.log" | tail -1 | sed -E 's/.*obj = +([0-9.e+-]+).*/\1/')
  read -r secs kb < "$work/glpsol.time"
  echo "$obj $secs $kb"
}
read -r glp_primal_obj glp_primal_s glp_primal_kb < <(run_glpsol primal)
read -r glp_dual_obj glp_dual_s glp_dual_kb < <(run_glpsol dual)

python3 - "$work/lp.mps" > "$work/highs.out" <<'PY'
import sys, time, resource
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

# A reader for the free MPS GLPK writes: ROWS, COLUMNS, RHS, RANGES, BOUNDS.
rows, kind, cols, colidx = [], {}, [], {}
entries, c, rhs, rng, lb, ub = [], {}, {}, {}, {}, {}
objective = None
section = None
with open(sys.argv[1]) as f:
    for line in f:
        if line.startswith('*') or not line.strip():
            continue
        if not line[0].isspace():
            section = line.split()[0]
            continue
        t = line.split()
        if section == 'ROWS':
            k, name = t
            if k == 'N' and objective is None:
                objective = name
            elif k != 'N':
                kind[name] = k
                rows.append(name)
        elif section == 'COLUMNS':
            name = t[0]
            if name not in colidx:
                colidx[name] = len(cols); cols.append(name)
            for r, v in zip(t[1::2], t[2::2]):
                if r == objective:
                    c[name] = float(v)
                elif r in kind:
                    entries.append((r, name, float(v)))
        elif section == 'RHS':
            for r, v in zip(t[1::2], t[2::2]):
                rhs[r] = float(v)
        elif section == 'RANGES':
            for r, v in zip(t[1::2], t[2::2]):
                rng[r] = float(v)
        elif section == 'BOUNDS':
            b, name = t[0], t[2]
            v = float(t[3]) if len(t) > 3 else 0.0
            if b == 'UP': ub[name] = v
            elif b == 'LO': lb[name] = v
            elif b == 'FX': lb[name] = ub[name] = v
            elif b == 'FR': lb[name] = -np.inf; ub[name] = np.inf
            elif b == 'MI': lb[name] = -np.inf
            elif b == 'PL': ub[name] = np.inf
rowidx = {r: i for i, r in enumerate(rows)}
lo = np.full(len(rows), -np.inf); hi = np.full(len(rows), np.inf)
for r in rows:
    i, b = rowidx[r], rhs.get(r, 0.0)
    k = kind[r]
    if k == 'E':
        if r in rng:
            lo[i], hi[i] = (b, b + rng[r]) if rng[r] > 0 else (b + rng[r], b)
        else:
            lo[i] = hi[i] = b
    elif k == 'L':
        hi[i] = b
        if r in rng: lo[i] = b - abs(rng[r])
    elif k == 'G':
        lo[i] = b
        if r in rng: hi[i] = b + abs(rng[r])
A = coo_matrix(([v for _, _, v in entries], ([rowidx[r] for r, _, _ in entries], [colidx[n] for _, n, _ in entries])),
               shape=(len(rows), len(cols))).tocsr()
eq = lo == hi
le = ~eq & np.isfinite(hi)
ge = ~eq & np.isfinite(lo)
from scipy.sparse import vstack
A_ub = vstack([A[le], -A[ge]]).tocsr()
b_ub = np.concatenate([hi[le], -lo[ge]])
cost = np.array([c.get(n, 0.0) for n in cols])
bounds = [(lb.get(n, 0.0), ub.get(n, None) if np.isfinite(ub.get(n, np.inf)) else None) for n in cols]
bounds = [(None if not np.isfinite(a) else a, b) for a, b in bounds]
start = time.perf_counter()
import os
limit = float(os.environ.get('TIME_LIMIT', '0') or 0)
options = {'time_limit': limit} if limit > 0 else {}
res = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=A[eq], b_eq=lo[eq], bounds=bounds, method='highs-ds', options=options)
secs = time.perf_counter() - start
kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(res.fun if res.status == 0 else float('nan'), secs, kib, res.status)
PY
read -r highs_obj highs_s highs_kb highs_status < "$work/highs.out"

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
