#include "awsd/resources/collection.h"

#include "awsd/resources/caller.h"
#include "awsd/resources/params.h"
#include "awsd/resources/path_search.h"
#include "client-lib/src/resources/failure.h"

namespace awsd::resources {
namespace {

using nlohmann::json;

// A listing without a paginator: one call, one page, made when asked for.
class SingleCallPage final : public PageSource {
 public:
  SingleCallPage(std::shared_ptr<const ResourceContext> context, std::string service, std::string operation,
                 json params)
      : context_(std::move(context)),
        service_(std::move(service)),
        operation_(std::move(operation)),
        params_(std::move(params)) {}

  Result<std::optional<json>> Next() override {
    if (called_) return std::optional<json>();
    called_ = true;
    auto response = context_->caller->Invoke(service_, operation_, params_);
    if (!response.ok()) return response.error();
    return std::optional<json>(std::move(*response));
  }

 private:
  std::shared_ptr<const ResourceContext> context_;
  std::string service_;
  std::string operation_;
  json params_;
  bool called_ = false;
};

}  // namespace

Collection::Collection(resources::Resource parent, const resources::Action* model)
    : parent_(std::move(parent)), model_(model) {}

Collection Collection::Filter(std::string_view params_json) const {
  Collection narrowed = *this;
  json extra = json::parse(params_json, nullptr, /*allow_exceptions=*/false);
  if (extra.is_discarded() || !extra.is_object()) {
    narrowed.error_ = Failure(grpc::StatusCode::INVALID_ARGUMENT,
                              "filter parameters must be a JSON object: " + std::string(params_json));
  } else {
    MergeParams(narrowed.params_, extra);
  }
  return narrowed;
}

Collection Collection::Limit(int count) const {
  Collection narrowed = *this;
  narrowed.limit_ = count;
  return narrowed;
}

Collection Collection::PageSize(int count) const {
  Collection narrowed = *this;
  narrowed.page_size_ = count;
  return narrowed;
}

// boto3's ResourceCollection.pages(): the listing call's parameters (from
// the parent, then the filters), one call or a paginator, and each page's
// resources, cut at the limit.
struct Collection::Pages::State {
  explicit State(const Collection& c) : collection(c), parent(c.parent_) {}

  Collection collection;
  resources::Resource parent;
  json params = json::object();
  std::unique_ptr<PageSource> stream;
  int count = 0;
  bool started = false;
  bool done = false;
};

Collection::Pages::Pages(const Collection& collection) : state_(std::make_unique<State>(collection)) {}
Collection::Pages::~Pages() = default;
Collection::Pages::Pages(Pages&&) noexcept = default;
Collection::Pages& Collection::Pages::operator=(Pages&&) noexcept = default;

Result<std::optional<std::vector<Resource>>> Collection::Pages::Next() {
  State& s = *state_;
  if (s.done) return std::optional<std::vector<Resource>>();
  if (!s.started) {
    s.started = true;
    if (s.collection.error_) {
      s.done = true;
      return *s.collection.error_;
    }
    const Request& request = *s.collection.model_->request;
    auto filled = CreateRequestParameters(s.parent, request, s.params);
    if (!filled.ok()) {
      s.done = true;
      return filled.error();
    }
    MergeParams(s.params, s.collection.params_);
    std::shared_ptr<const ResourceContext> context = s.parent.context();
    const std::string service = context->model->service();
    const std::string operation = request.operation;
    const json params = s.params;
    if (context->model->CanPaginate(operation)) {
      s.stream = context->caller->Paginate(service, operation, params, s.collection.limit_.value_or(0),
                                           s.collection.page_size_.value_or(0));
    } else {
      s.stream = std::make_unique<SingleCallPage>(context, service, operation, params);
    }
  }
  auto page = s.stream->Next();
  if (!page.ok() || !page->has_value()) {
    s.done = true;
    s.stream.reset();
    if (!page.ok()) return page.error();
    return std::optional<std::vector<Resource>>();
  }
  auto items = HandleResourceResponse(*s.collection.model_->resource, s.parent, s.params, **page);
  if (!items.ok()) {
    s.done = true;
    s.stream.reset();
    return items.error();
  }
  if (s.collection.limit_) {
    const size_t left = static_cast<size_t>(std::max(0, *s.collection.limit_ - s.count));
    if (items->size() >= left) {
      items->erase(items->begin() + static_cast<std::ptrdiff_t>(left), items->end());
      s.done = true;
      s.stream.reset();  // stops the paginator
    }
  }
  s.count += static_cast<int>(items->size());
  return std::optional<std::vector<Resource>>(std::move(*items));
}

struct Collection::iterator::Cursor {
  explicit Cursor(Pages p) : pages(std::move(p)) {}

  // Moves to the next resource; false at the end.
  bool Advance() {
    while (true) {
      if (index < page.size()) {
        current.emplace(std::move(page[index++]));
        return true;
      }
      if (ended) return false;
      auto next = pages.Next();
      if (!next.ok()) {
        ended = true;
        current.emplace(next.error());
        return true;
      }
      if (!next->has_value()) return false;
      page = std::move(**next);
      index = 0;
    }
  }

  Pages pages;
  std::vector<Resource> page;
  size_t index = 0;
  bool ended = false;
  std::optional<Result<Resource>> current;
};

Collection::iterator::reference Collection::iterator::operator*() const { return *cursor_->current; }

Collection::iterator& Collection::iterator::operator++() {
  if (cursor_ && !cursor_->Advance()) cursor_.reset();
  return *this;
}

Collection::iterator Collection::begin() const {
  auto cursor = std::make_shared<iterator::Cursor>(pages());
  if (!cursor->Advance()) return end();
  return iterator(std::move(cursor));
}

Result<std::vector<Resource>> Collection::ToVector() const {
  std::vector<Resource> out;
  for (const Result<Resource>& item : *this) {
    if (!item.ok()) return item.error();
    out.push_back(*item);
  }
  return out;
}

Result<std::vector<ActionResult>> Collection::BatchAction(std::string_view name, std::string_view params_json) const {
  const ResourceDefinition* definition = parent_.context()->model->FindResource(type());
  const resources::Action* action = definition ? definition->FindBatchAction(name) : nullptr;
  if (action == nullptr || !action->request) {
    return Failure(grpc::StatusCode::NOT_FOUND, type() + " has no batch action " + std::string(name));
  }
  auto extra = ParseParams(params_json);
  if (!extra.ok()) return extra.error();
  std::vector<ActionResult> results;
  Pages all = pages();
  while (true) {
    auto page = all.Next();
    if (!page.ok()) return page.error();
    if (!page->has_value()) break;
    json params = json::object();
    int index = 0;
    for (Resource& resource : **page) {
      auto filled = CreateRequestParameters(resource, *action->request, params, index++);
      if (!filled.ok()) return filled.error();
    }
    if (params.empty()) break;  // boto3 stops at the first empty page
    params.update(*extra);
    auto response = parent_.context()->caller->Invoke(parent_.service(), action->request->operation, params);
    if (!response.ok()) return response.error();
    auto result = HandleActionResponse(*action, (**page).front(), params, *response);
    if (!result.ok()) return result.error();
    results.push_back(*std::move(result));
  }
  return results;
}

}  // namespace awsd::resources
