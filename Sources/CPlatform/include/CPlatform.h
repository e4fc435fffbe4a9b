#ifndef ARSENAL_CPLATFORM_H
#define ARSENAL_CPLATFORM_H

/// Swaps two paths in one step (Linux renameat2 with RENAME_EXCHANGE): a reader sees the
/// old folder or the new one, never neither and never a mix. Returns 0, or -1 with errno
/// set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int arsenal_exchange_paths(const char *a, const char *b);

/// Keeps up to `bytes` of freed memory in the C allocator for reuse (glibc's trim and mmap
/// thresholds), instead of returning it to the system at once. Returns 1 when both were set.
int arsenal_keep_freed_memory(int bytes);

#endif
