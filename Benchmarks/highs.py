#!/usr/bin/env python3
"""HiGHS's dual simplex (scipy's linprog, method highs-ds) on a free MPS file GLPK wrote.

    python3 Benchmarks/highs.py LP.mps     # TIME_LIMIT=600 stops it after 600 s

Prints one line: objective, wall seconds, peak KiB, status, CPU seconds, iterations. The
solve alone is timed (not reading the file). Used by compare-solvers.sh and targets.sh.
"""
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
        # Integer markers are skipped: the LP relaxation is solved, as Arsenal's stages do.
        if line.startswith('*') or not line.strip() or "'MARKER'" in line:
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
import os
limit = float(os.environ.get('TIME_LIMIT', '0') or 0)
options = {'time_limit': limit} if limit > 0 else {}
start, cpu = time.perf_counter(), time.process_time()
res = linprog(cost, A_ub=A_ub, b_ub=b_ub, A_eq=A[eq], b_eq=lo[eq], bounds=bounds, method='highs-ds', options=options)
secs, cpu = time.perf_counter() - start, time.process_time() - cpu
kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# objective, wall seconds, peak KiB, status, CPU seconds, simplex iterations
print(res.fun if res.status == 0 else float('nan'), secs, kib, res.status, cpu, getattr(res, 'nit', -1))
