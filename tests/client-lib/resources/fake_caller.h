#pragma once

// A Caller that answers from a script and records the calls, for testing
// resources and collections without a daemon.

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "awsd/resources/caller.h"
#include "awsd/resources/model.h"

namespace awsd::resources::testing {

struct RecordedCall {
  std::string operation;
  nlohmann::json params;
  bool paginated = false;
  int max_items = 0;
  int page_size = 0;
};

// Scripted pages, handed out as they are pulled (counted, so a test can
// see that a collection stops asking).
class ScriptedPages final : public PageSource {
 public:
  ScriptedPages(std::vector<nlohmann::json> pages, std::atomic<int>& produced)
      : pages_(std::move(pages)), produced_(produced) {}
  Result<std::optional<nlohmann::json>> Next() override {
    if (next_ >= pages_.size()) return std::optional<nlohmann::json>();
    ++produced_;
    return std::optional<nlohmann::json>(std::move(pages_[next_++]));
  }

 private:
  std::vector<nlohmann::json> pages_;
  std::size_t next_ = 0;
  std::atomic<int>& produced_;
};

class FakeCaller final : public Caller {
 public:
  // The next answer to Invoke of `operation`.
  void AnswerInvoke(const std::string& operation, nlohmann::json result) {
    invokes_.push_back({operation, std::move(result)});
  }
  // The pages the next Paginate answers.
  void AnswerPaginate(std::vector<nlohmann::json> pages) { paginates_.push_back(std::move(pages)); }

  Result<nlohmann::json> Invoke(const std::string&, const std::string& operation,
                                const nlohmann::json& params) const override {
    std::lock_guard lock(mutex_);
    calls_.push_back({operation, params});
    for (auto it = invokes_.begin(); it != invokes_.end(); ++it) {
      if (it->first != operation) continue;
      nlohmann::json result = std::move(it->second);
      invokes_.erase(it);
      return result;
    }
    Error error;
    error.code = grpc::StatusCode::NOT_FOUND;
    error.message = "no scripted answer for " + operation;
    return error;
  }

  std::unique_ptr<PageSource> Paginate(const std::string&, const std::string& operation, const nlohmann::json& params,
                                       int max_items, int page_size) const override {
    std::vector<nlohmann::json> pages;
    {
      std::lock_guard lock(mutex_);
      calls_.push_back({operation, params, true, max_items, page_size});
      if (!paginates_.empty()) {
        pages = std::move(paginates_.front());
        paginates_.pop_front();
      }
    }
    return std::make_unique<ScriptedPages>(std::move(pages), pages_produced_);
  }

  Result<awsd::v1::WaitResponse> Wait(const std::string&, const std::string& waiter,
                                      const nlohmann::json& params) const override {
    std::lock_guard lock(mutex_);
    calls_.push_back({"wait:" + waiter, params});
    awsd::v1::WaitResponse response;
    response.set_state(awsd::v1::WaitResponse::STATE_SUCCESS);
    return response;
  }

  std::vector<RecordedCall> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  int pages_produced() const { return pages_produced_; }

 private:
  mutable std::mutex mutex_;
  mutable std::deque<std::pair<std::string, nlohmann::json>> invokes_;
  mutable std::deque<std::vector<nlohmann::json>> paginates_;
  mutable std::vector<RecordedCall> calls_;
  mutable std::atomic<int> pages_produced_{0};
};

// A resource model from resources-1.json text and shape members.
inline std::shared_ptr<const ServiceResourceModel> ModelFrom(
    const std::string& service, const std::string& resources_json,
    const std::map<std::string, std::vector<std::string>>& shapes, const std::vector<std::string>& paginated) {
  awsd::v1::ResourceModel described;
  described.set_service(service);
  described.set_resources_json(resources_json);
  for (const auto& [shape, members] : shapes) {
    for (const std::string& member : members) (*described.mutable_shapes())[shape].add_members(member);
  }
  for (const std::string& operation : paginated) described.add_paginated_operations(operation);
  auto model = ServiceResourceModel::Parse(described);
  return model.ok() ? *model : nullptr;
}

}  // namespace awsd::resources::testing
