#include "daemon/common/locked_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace awsd {
namespace {

struct PageTable {
  std::mutex mutex;
  // Page address -> number of live locked ranges touching it.
  std::unordered_map<std::uintptr_t, std::size_t> counts;
  std::size_t refusals = 0;
  int last_errno = 0;
};

// Leaked on purpose: secrets in static objects are released after any
// ordinary static would have been destroyed.
PageTable& Table() {
  static auto* table = new PageTable;
  return *table;
}

std::atomic<bool> g_enabled{true};

std::uintptr_t PageSize() {
  static const std::uintptr_t size = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  return size;
}

// The first and one-past-the-last page of a non-empty range.
std::pair<std::uintptr_t, std::uintptr_t> Pages(const void* data, std::size_t size) {
  const std::uintptr_t page = PageSize();
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  return {begin & ~(page - 1), (begin + size + page - 1) & ~(page - 1)};
}

}  // namespace

bool LockPages(const void* data, std::size_t size) {
  if (data == nullptr || size == 0 || !g_enabled.load(std::memory_order_relaxed)) return false;
  const auto [first, last] = Pages(data, size);
  PageTable& table = Table();
  std::lock_guard lock(table.mutex);
  // Only pages not yet locked need the system call; locking is per page, so
  // doing it one page at a time costs little for secrets of a few hundred bytes.
  for (std::uintptr_t page = first; page < last; page += PageSize()) {
    if (table.counts.contains(page)) continue;
    if (mlock(reinterpret_cast<const void*>(page), PageSize()) != 0) {
      ++table.refusals;
      table.last_errno = errno;
      // Pages this call locked are not counted yet: unlock them, so the whole
      // range is reported (and treated) as unlocked.
      for (std::uintptr_t done = first; done < page; done += PageSize()) {
        if (!table.counts.contains(done)) munlock(reinterpret_cast<const void*>(done), PageSize());
      }
      return false;
    }
  }
  for (std::uintptr_t page = first; page < last; page += PageSize()) ++table.counts[page];
  return true;
}

void UnlockPages(const void* data, std::size_t size) {
  if (data == nullptr || size == 0) return;
  const auto [first, last] = Pages(data, size);
  PageTable& table = Table();
  std::lock_guard lock(table.mutex);
  for (std::uintptr_t page = first; page < last; page += PageSize()) {
    auto it = table.counts.find(page);
    if (it == table.counts.end()) continue;
    if (--it->second == 0) {
      munlock(reinterpret_cast<const void*>(page), PageSize());
      table.counts.erase(it);
    }
  }
}

void SetPageLockingEnabled(bool enabled) { g_enabled.store(enabled, std::memory_order_relaxed); }

PageLockStats GetPageLockStats() {
  PageTable& table = Table();
  std::lock_guard lock(table.mutex);
  return {table.counts.size(), table.refusals, table.last_errno};
}

}  // namespace awsd
