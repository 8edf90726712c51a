#pragma once

// A paginated call's pages as a lazy range, as boto3's paginator is: each
// page comes from the daemon when the loop reaches it, and leaving the loop
// early stops the walk in the daemon (no further pages are asked of AWS).
//
//   awsd::PageRange pages = client.Pages(session, request);
//   for (const awsd::v1::Page& page : pages) {
//     if (page.has_error()) { ... AWS's error; it is the last page ... }
//     ... page.result_json() ...
//   }
//   if (!pages.status()) { ... the daemon or the transport failed ... }

#include <cstddef>
#include <iterator>
#include <memory>

#include "awsd/result.h"
#include "awsd/v1/invoke.pb.h"

namespace awsd {

class PageRange {
 public:
  class Iterator {
   public:
    using value_type = awsd::v1::Page;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    const awsd::v1::Page& operator*() const;
    const awsd::v1::Page* operator->() const { return &**this; }
    Iterator& operator++();
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const;

   private:
    friend class PageRange;
    explicit Iterator(PageRange* range) : range_(range) {}
    PageRange* range_ = nullptr;
  };

  // Reads the first page; a range is walked once.
  Iterator begin();
  std::default_sentinel_t end() const { return {}; }

  // Once the loop is over: Done, or why the walk stopped short (the
  // daemon's refusal, a transport error, the deadline).
  const Result<Done>& status() const;

  PageRange(PageRange&&) noexcept;
  PageRange& operator=(PageRange&&) noexcept;
  // Cancels a walk not read to its end.
  ~PageRange();

  struct State;  // the stream, defined with the client

 private:
  friend class Client;
  explicit PageRange(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace awsd
