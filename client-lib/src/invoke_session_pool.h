#pragma once

// Client::Invoke's transport: calls multiplexed on long-lived InvokeSession
// streams (cheaper per call than a unary RPC), one stream per concurrent
// caller, driven on the calling thread.

#include <grpcpp/channel.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "awsd/result.h"
#include "awsd/v1/invoke.pb.h"
#include "awsd/v1/invoke_session.grpc.pb.h"

namespace awsd::internal {

class InvokeSessionStream;

// The streams of one Client: a thread takes an idle one (or opens one) for
// a call and gives it back after, so concurrent callers never share one.
class InvokeSessionPool {
 public:
  explicit InvokeSessionPool(const std::shared_ptr<grpc::Channel>& channel);
  ~InvokeSessionPool();

  // nullopt: the daemon has no InvokeSession (older than the client); the
  // caller uses the unary Invoke.
  std::optional<Result<awsd::v1::InvokeResponse>> Invoke(const awsd::v1::InvokeRequest& call,
                                                         std::chrono::system_clock::time_point deadline,
                                                         const std::string& socket_path);

 private:
  // Idle streams kept; a burst of more concurrent callers opens more and
  // closes the excess afterwards.
  static constexpr std::size_t kMaxIdle = 16;

  std::unique_ptr<InvokeSessionStream> Take(bool& reused);
  void Give(std::unique_ptr<InvokeSessionStream> stream);

  const std::unique_ptr<awsd::v1::InvokeSessionService::Stub> stub_;
  std::atomic<uint64_t> next_call_id_{1};
  std::atomic<bool> unsupported_{false};
  std::mutex mutex_;
  std::vector<std::unique_ptr<InvokeSessionStream>> idle_;  // guarded by mutex_
};

}  // namespace awsd::internal
