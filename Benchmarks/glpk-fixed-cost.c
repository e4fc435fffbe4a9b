/* What one glp_simplex call costs when it pivots not at all, and what glp_factorize costs,
 * on an exported LP: the floor under each stage of a warm sweep point (docs/PERFORMANCE.md,
 * "Why 3x is out of reach").
 *
 *   .build/release/arsenal solve --export-mps /tmp/base.mps --out /tmp/b --force --quiet
 *   cc -O2 Benchmarks/glpk-fixed-cost.c -lglpk -o /tmp/glpk-fixed-cost
 *   GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4194304 \
 *     /tmp/glpk-fixed-cost /tmp/base.mps      # freed memory kept, as Arsenal keeps it
 *   /tmp/glpk-fixed-cost /tmp/base.mps        # glibc's defaults
 *
 * The LP is solved once; then a binding row's bound is moved by a few per cent and back, 200
 * times, each followed by a dual simplex call from the optimal basis, which stays optimal. */
#include <glpk.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

enum { CALLS = 200 };

/* Milliseconds a call, and pivots a call, with `parm`. */
static void time_calls(glp_prob *p, int row, double ub, const glp_smcp *parm, const char *what) {
  int before = glp_get_it_cnt(p);
  double t0 = now();
  for (int k = 0; k < CALLS; k++) {
    glp_set_row_bnds(p, row, GLP_UP, 0, ub * (1 + 0.001 * (k % 3)));
    glp_simplex(p, parm);
  }
  double t1 = now();
  printf("%-28s %.3f ms a call, %.1f pivots a call\n", what, (t1 - t0) / CALLS * 1e3,
         (glp_get_it_cnt(p) - before) / (double)CALLS);
  glp_set_row_bnds(p, row, GLP_UP, 0, ub);
  glp_simplex(p, parm);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s LP.mps\n", argv[0]);
    return 2;
  }
  glp_term_out(GLP_OFF);
  glp_prob *p = glp_create_prob();
  if (glp_read_mps(p, GLP_MPS_FILE, NULL, argv[1]) != 0) return 1;
  glp_scale_prob(p, GLP_SF_AUTO);
  glp_adv_basis(p, 0);
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  if (glp_simplex(p, &parm) != 0 || glp_get_status(p) != GLP_OPT) return 1;
  printf("%d rows, %d columns, %d non-zeros\n", glp_get_num_rows(p), glp_get_num_cols(p), glp_get_num_nz(p));
  /* A row at its upper bound: moving that bound a little keeps the basis optimal. */
  int row = 0;
  for (int i = 1; i <= glp_get_num_rows(p) && row == 0; i++)
    if (glp_get_row_type(p, i) == GLP_UP && glp_get_row_stat(p, i) == GLP_NU && glp_get_row_ub(p, i) > 10) row = i;
  if (row == 0) return 1;
  double ub = glp_get_row_ub(p, row);

  parm.meth = GLP_DUAL;
  /* The defaults, then one setting changed at a time. */
  enum { SETTINGS = 6 };
  glp_smcp v[SETTINGS];
  for (int k = 0; k < SETTINGS; k++) v[k] = parm;
  v[1].excl = GLP_OFF;
  v[2].shift = GLP_OFF;
  v[3].aorn = GLP_USE_AT;
  v[4].pricing = GLP_PT_STD;
  v[5].r_test = GLP_RT_STD;
  const char *what[SETTINGS] = {"dual simplex, defaults", "excl off", "shift off", "aorn GLP_USE_AT",
                                "standard pricing", "standard ratio test"};
  for (int k = 0; k < SETTINGS; k++) time_calls(p, row, ub, &v[k], what[k]);

  /* glp_factorize on the optimal basis, by factorisation type. */
  const int types[] = {GLP_BF_LUF | GLP_BF_FT, GLP_BF_LUF | GLP_BF_BG, GLP_BF_LUF | GLP_BF_GR,
                       GLP_BF_BTF | GLP_BF_BG, GLP_BF_BTF | GLP_BF_GR};
  const char *names[] = {"LU + Forrest-Tomlin (default)", "LU + Bartels-Golub", "LU + Givens", "BTF + Bartels-Golub",
                         "BTF + Givens"};
  for (int k = 0; k < 5; k++) {
    glp_bfcp b;
    glp_get_bfcp(p, &b);
    b.type = types[k];
    glp_set_bfcp(p, &b);
    double t0 = now();
    for (int i = 0; i < CALLS; i++) glp_factorize(p);
    printf("glp_factorize, %-29s %.3f ms\n", names[k], (now() - t0) / CALLS * 1e3);
  }
  glp_delete_prob(p);
  return 0;
}
