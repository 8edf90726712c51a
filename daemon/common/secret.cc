#include "daemon/common/secret.h"

#include <openssl/crypto.h>

#include <cstring>
#include <utility>

#include "daemon/common/locked_pages.h"

namespace awsd {

Secret::Secret(std::string_view value) : size_(value.size()) {
  // An empty secret owns no buffer (and an empty view may hold no pointer).
  if (value.empty()) return;
  data_.reset(new char[value.size() + 1]);
  // Pinned before the copy, so the secret's bytes are never on a swappable page.
  locked_ = LockPages(data_.get(), size_ + 1);
  std::memcpy(data_.get(), value.data(), value.size());
  data_[size_] = '\0';
}

Secret::Secret(const Secret& other) : Secret(other.view()) {}

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    Secret copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Secret::Secret(Secret&& other) noexcept
    : data_(std::move(other.data_)),
      size_(std::exchange(other.size_, 0)),
      locked_(std::exchange(other.locked_, false)) {}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    locked_ = std::exchange(other.locked_, false);
  }
  return *this;
}

Secret::~Secret() { Wipe(); }

void Secret::Wipe() {
  if (data_) {
    OPENSSL_cleanse(data_.get(), size_ + 1);
    if (locked_) UnlockPages(data_.get(), size_ + 1);
  }
  data_.reset();
  size_ = 0;
  locked_ = false;
}

bool Secret::operator==(const Secret& other) const {
  return size_ == other.size_ && (size_ == 0 || CRYPTO_memcmp(data_.get(), other.data_.get(), size_) == 0);
}

void WipeString(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

}  // namespace awsd
