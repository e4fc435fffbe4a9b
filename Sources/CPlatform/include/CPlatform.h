#ifndef ARSENAL_CPLATFORM_H
#define ARSENAL_CPLATFORM_H

/// Swaps two paths in one step (Linux renameat2 with RENAME_EXCHANGE): a reader sees the
/// old folder or the new one, never neither and never a mix. Returns 0, or -1 with errno
/// set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int arsenal_exchange_paths(const char *a, const char *b);

#endif
