#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace awsd {

// Bytes of secret material (a secret access key, a session token, a derived
// signing key). The buffer lives on the heap, never in a small-string inline
// buffer, is pinned in RAM while held (mlock, best effort: see
// locked_pages.h) so it never reaches swap, and is wiped with OPENSSL_cleanse
// when released, so a secret does not linger in freed memory or a core dump
// after its owner is gone.
//
// Copies are deep and explicit in cost; moves leave the source empty.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string_view value);
  Secret(const Secret& other);
  Secret& operator=(const Secret& other);
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  std::string_view view() const { return {data_.get(), size_}; }
  const unsigned char* bytes() const { return reinterpret_cast<const unsigned char*>(data_.get()); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Constant-time comparison, so equality checks leak no timing.
  bool operator==(const Secret& other) const;

  // Whether the buffer is pinned in RAM (false when empty or refused).
  bool locked() const { return locked_; }

 private:
  void Wipe();

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  bool locked_ = false;
};

// Overwrites and empties a plain string that held secret material on its way
// into a Secret (file text, a response body, a JSON value), so the copy is
// not left in freed memory.
void WipeString(std::string& text);

}  // namespace awsd
