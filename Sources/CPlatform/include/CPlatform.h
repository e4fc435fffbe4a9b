#ifndef ARSENAL_CPLATFORM_H
#define ARSENAL_CPLATFORM_H

/// Swaps two paths in one step (Linux renameat2 with RENAME_EXCHANGE): a reader sees the
/// old folder or the new one, never neither and never a mix. Returns 0, or -1 with errno
/// set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int arsenal_exchange_paths(const char *a, const char *b);

/// Fixes how much freed memory the C allocator keeps: up to `trim_bytes` free at the top of
/// each heap, and blocks up to `mmap_bytes` taken from the heap rather than mapped alone and
/// returned to the system when freed (glibc's trim and mmap thresholds, which glibc would
/// otherwise raise as large blocks are freed). Returns 1 when both were set.
int arsenal_malloc_thresholds(int trim_bytes, int mmap_bytes);

/// One heap for every thread of the process (glibc's arena count set to 1), so that memory a
/// thread frees can be reused by the others. Call before any thread starts. Returns 1 when
/// set.
int arsenal_one_heap(void);

#endif
