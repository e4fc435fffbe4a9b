// What Swift's Glibc module does not expose: renameat2 needs _GNU_SOURCE; mallopt, malloc.h.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sys/syscall.h>
#include <unistd.h>

#include "CPlatform.h"

int arsenal_exchange_paths(const char *a, const char *b) {
#ifdef SYS_renameat2
  return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */);
#else
  errno = ENOSYS;
  return -1;
#endif
}

int arsenal_malloc_thresholds(int trim_bytes, int mmap_bytes) {
#ifdef __GLIBC__
  int trim = mallopt(M_TRIM_THRESHOLD, trim_bytes);
  int mmap = mallopt(M_MMAP_THRESHOLD, mmap_bytes);
  return trim && mmap;
#else
  (void)trim_bytes;
  (void)mmap_bytes;
  return 0;
#endif
}

int arsenal_one_heap(void) {
#ifdef __GLIBC__
  return mallopt(M_ARENA_MAX, 1);
#else
  return 0;
#endif
}
