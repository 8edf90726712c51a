#include "daemon/endpoints/endpoint_cache.h"

#include <cstdint>
#include <cstring>
#include <utility>
#include <variant>
#include <vector>

namespace awsd::endpoints {
namespace {

// Writes into a string sized ahead, growing it when needed: a key is
// built on every cached resolution, so it avoids append's per-call checks.
class KeyWriter {
 public:
  explicit KeyWriter(std::string* key) : key_(key), used_(key->size()) {
    if (key_->size() < used_ + 256) key_->resize(used_ + 256);
  }
  ~KeyWriter() { key_->resize(used_); }

  void Length(size_t length) {
    const uint32_t n = static_cast<uint32_t>(length);
    Raw(reinterpret_cast<const char*>(&n), sizeof(n));
  }
  void Bytes(std::string_view bytes) {
    Length(bytes.size());
    Raw(bytes.data(), bytes.size());
  }
  void Tag(char tag) { Raw(&tag, 1); }

 private:
  void Raw(const char* data, size_t size) {
    if (used_ + size > key_->size()) key_->resize(2 * (used_ + size));
    std::memcpy(key_->data() + used_, data, size);
    used_ += size;
  }

  std::string* key_;
  size_t used_;
};

void AppendParamKey(std::string_view name, const ParamValue& value, KeyWriter& key) {
  key.Bytes(name);
  if (const std::string* text = std::get_if<std::string>(&value)) {
    key.Tag('s');
    key.Bytes(*text);
  } else if (const bool* flag = std::get_if<bool>(&value)) {
    key.Tag(*flag ? 'T' : 'F');
  } else {
    const auto& strings = std::get<std::vector<std::string>>(value);
    key.Tag('a');
    key.Length(strings.size());
    for (const std::string& item : strings) key.Bytes(item);
  }
}

}  // namespace

bool EndpointCache::Find(std::string_view key, CachedResolution* out) {
  if (capacity_ == 0) return false;
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = index_.find(absl::string_view(key.data(), key.size()));
  if (it == index_.end()) return false;
  entries_.splice(entries_.begin(), entries_, it->second);
  *out = it->second->value;
  return true;
}

void EndpointCache::Insert(std::string key, CachedResolution value) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (const auto it = index_.find(absl::string_view(key)); it != index_.end()) {
    // Another thread resolved the same parameters meanwhile; both results
    // are equal.
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  entries_.push_front(Entry{std::move(key), std::move(value)});
  index_.emplace(absl::string_view(entries_.front().key), entries_.begin());
  if (entries_.size() > capacity_) {
    index_.erase(absl::string_view(entries_.back().key));
    entries_.pop_back();
  }
}

size_t EndpointCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void AppendParamsKey(const EndpointParams& params, std::string* key) {
  KeyWriter writer(key);
  for (const auto& [name, value] : params) AppendParamKey(name, value, writer);
}

void AppendParamsKey(std::span<const ParamRef> params, std::string* key) {
  KeyWriter writer(key);
  for (const ParamRef& param : params) AppendParamKey(param.name, *param.value, writer);
}

}  // namespace awsd::endpoints
