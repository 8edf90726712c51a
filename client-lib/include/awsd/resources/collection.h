#pragma once

// boto3's collections (boto3/resources/collection.py): the resources a
// "hasMany" relation lists, fetched lazily page by page. Over a paginated
// operation the pages come from one Paginate RPC (the daemon runs the
// paginator, MaxItems = limit, PageSize = page_size); otherwise from one
// call. All, Filter, Limit and PageSize return narrowed copies; iterating
// makes the calls, again on each iteration.

#include <cstddef>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "awsd/resources/resource.h"
#include "awsd/result.h"

namespace awsd::resources {


class Collection {
 public:
  Collection(resources::Resource parent, const resources::Action* model);

  // The collection's resource type ("ObjectSummary").
  const std::string& type() const { return model_->resource->type; }

  Collection All() const { return *this; }
  // Adds parameters (a JSON object) to the listing call; lists append, as
  // boto3's merge_dicts(append_lists=True). Bad JSON is reported when the
  // collection is iterated.
  Collection Filter(std::string_view params_json) const;
  // At most `count` resources in all.
  Collection Limit(int count) const;
  // At most `count` resources per call to the service.
  Collection PageSize(int count) const;

  const nlohmann::json& params() const { return params_; }
  std::optional<int> limit() const { return limit_; }
  std::optional<int> page_size() const { return page_size_; }

  // One page at a time (boto3's pages()): each call to Next gives the next
  // page's resources, nullopt after the last.
  class Pages {
   public:
    Result<std::optional<std::vector<Resource>>> Next();
    ~Pages();
    Pages(Pages&&) noexcept;
    Pages& operator=(Pages&&) noexcept;

   private:
    friend class Collection;
    explicit Pages(const Collection& collection);
    struct State;
    std::unique_ptr<State> state_;
  };
  Pages pages() const { return Pages(*this); }

  // The collection as a lazy input range of Result<Resource>: an error (a
  // failed call) is the last item.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Result<Resource>;
    using difference_type = std::ptrdiff_t;
    using pointer = const value_type*;
    using reference = const value_type&;

    iterator() = default;
    reference operator*() const;
    pointer operator->() const { return &**this; }
    iterator& operator++();
    void operator++(int) { ++*this; }
    bool operator==(const iterator& other) const { return cursor_ == other.cursor_; }

   private:
    friend class Collection;
    struct Cursor;
    explicit iterator(std::shared_ptr<Cursor> cursor) : cursor_(std::move(cursor)) {}
    std::shared_ptr<Cursor> cursor_;  // null: the end
  };
  iterator begin() const;
  iterator end() const { return iterator(); }

  // Everything, or the first error.
  Result<std::vector<Resource>> ToVector() const;

  // A batch action of the collection's resource type ("delete" of objects:
  // DeleteObjects once per page of resources). The responses, one per call.
  Result<std::vector<ActionResult>> BatchAction(std::string_view name, std::string_view params_json = "{}") const;

 private:
  resources::Resource parent_;
  const resources::Action* model_;
  nlohmann::json params_ = nlohmann::json::object();
  std::optional<int> limit_;
  std::optional<int> page_size_;
  std::optional<Error> error_;  // a bad Filter, reported on iteration
};

}  // namespace awsd::resources
