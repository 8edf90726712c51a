#pragma once

// A small least-recently-used map from a parameter set (encoded as bytes) to
// what resolving it gave. Rule sets are pure functions of their parameters
// and the partitions table, so a result, error or endpoint, may be reused
// for as long as the compiled rule set lives. Bounded, so that a caller
// cycling through bucket names cannot grow it without end.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "daemon/endpoints/endpoint.h"

namespace awsd::endpoints {

struct CachedResolution {
  absl::Status status;                               // OK when endpoint is set
  std::shared_ptr<const ResolvedEndpoint> endpoint;  // null on error
};

class EndpointCache {
 public:
  explicit EndpointCache(size_t capacity) : capacity_(capacity) {}

  // Thread-safe. A hit becomes the most recently used entry.
  bool Find(std::string_view key, CachedResolution* out);
  void Insert(std::string key, CachedResolution value);
  size_t size() const;
  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    std::string key;
    CachedResolution value;
  };

  const size_t capacity_;
  // std::mutex rather than absl::Mutex: Debian's abseil runs its deadlock
  // detector on every lock, which would cost more than the lookup itself.
  mutable std::mutex mu_;
  std::list<Entry> entries_;  // most recent first; guarded by mu_
  // Keys view the strings held by entries_; guarded by mu_.
  absl::flat_hash_map<absl::string_view, std::list<Entry>::iterator> index_;
};

// The cache key of a parameter set: names and typed values, length-prefixed
// so that no two different sets encode alike.
void AppendParamsKey(const EndpointParams& params, std::string* key);
// The same for parameters by reference, in the order given (another order
// of the same set is another key: a second entry, never a wrong one).
void AppendParamsKey(std::span<const ParamRef> params, std::string* key);

}  // namespace awsd::endpoints
