#pragma once

#include <cstddef>

namespace awsd {

// Pins the pages under [data, data + size) in RAM with mlock, so secret
// material is never written to swap. Pages are reference counted: two secrets
// that share a page keep it locked until both are released (a plain munlock
// would unlock the neighbour's bytes too).
//
// Best effort: an unprivileged process may lock only RLIMIT_MEMLOCK bytes, so
// mlock can fail with EPERM or ENOMEM; the secret is still used (and still
// wiped on release), and the refusal is counted for the daemon to report.
// Returns whether the range is now locked; pass the same range, only when it
// returned true, to UnlockPages.
bool LockPages(const void* data, std::size_t size);
void UnlockPages(const void* data, std::size_t size);

// Off turns LockPages into a no-op returning false (config
// `secrets.lock_memory = false`); ranges already locked stay counted.
void SetPageLockingEnabled(bool enabled);

struct PageLockStats {
  // Pages currently locked for secrets.
  std::size_t locked_pages = 0;
  // mlock calls the kernel refused, and the errno of the last refusal.
  std::size_t refusals = 0;
  int last_errno = 0;
};
PageLockStats GetPageLockStats();

}  // namespace awsd
