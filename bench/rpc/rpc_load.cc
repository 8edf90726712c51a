// awsd-rpc-load: measures the RPC path of a running awsd against the
// transport's floor (the empty Ping RPC), on the same daemon, in one run.
//
//   awsd-rpc-load --socket PATH [--seconds S] [--latency-calls N]
//
// Prints one JSON object: per-call latency (p50/p99) of Ping and Sign from
// one client; throughput of Ping and Sign with 1, 8 and 32 clients (each its
// own connection, as separate processes would be, driven closed-loop on the
// callback API); and the cost per
// signature of SignBatch (64 per message) and SignStream.
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <iostream>
#include <thread>
#include <vector>

#include <google/protobuf/arena.h>

#include "awsd/v1/daemon.grpc.pb.h"
#include "awsd/v1/session.grpc.pb.h"
#include "awsd/v1/signing.grpc.pb.h"
#include "bench/common/sign_requests.h"
#include "nlohmann/json.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::shared_ptr<grpc::Channel> NewChannel(const std::string& socket, int id) {
  grpc::ChannelArguments args;
  // A distinct argument keeps gRPC from sharing one connection between
  // channels: each client gets its own, as a separate process would.
  args.SetInt("awsd.bench.client", id);
  return grpc::CreateCustomChannel("unix:" + socket, grpc::InsecureChannelCredentials(), args);
}

struct Percentiles {
  double p50_us, p99_us;
};

Percentiles Summarise(std::vector<double>& micros) {
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[std::min(micros.size() - 1, static_cast<size_t>(q * micros.size()))]; };
  return {at(0.50), at(0.99)};
}

template <typename Call>
Percentiles Latency(int calls, Call&& call) {
  for (int i = 0; i < std::min(calls / 10, 200); ++i) call();  // warm-up
  std::vector<double> micros;
  micros.reserve(calls);
  for (int i = 0; i < calls; ++i) {
    auto start = Clock::now();
    call();
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  return Summarise(micros);
}

// Latency of two calls measured alternately, call for call, so both see
// the same machine: on a shared 2-core VM, conditions drift within seconds
// and back-to-back runs of one then the other compare the drift.
template <typename CallA, typename CallB>
std::pair<Percentiles, Percentiles> InterleavedLatency(int calls, CallA&& a, CallB&& b) {
  for (int i = 0; i < std::min(calls / 10, 200); ++i) {
    a();
    b();
  }
  std::vector<double> micros_a, micros_b;
  micros_a.reserve(calls);
  micros_b.reserve(calls);
  for (int i = 0; i < calls; ++i) {
    auto start = Clock::now();
    a();
    auto middle = Clock::now();
    b();
    auto end = Clock::now();
    micros_a.push_back(std::chrono::duration<double, std::micro>(middle - start).count());
    micros_b.push_back(std::chrono::duration<double, std::micro>(end - middle).count());
  }
  return {Summarise(micros_a), Summarise(micros_b)};
}

// One client of a closed loop: one call outstanding at a time, the next one
// issued from the completion of the last, on gRPC's callback API so that 32
// clients do not mean 32 blocked threads competing for the 2 cores the
// daemon also needs.
class LoopClient {
 public:
  // Starts one call with `context`; calls `done` with its status when it ends.
  using Issue = std::function<void(grpc::ClientContext*, std::function<void(grpc::Status)>)>;

  LoopClient(Issue issue, const std::atomic<bool>& stop) : issue_(std::move(issue)), stop_(stop) {}

  void Start() { Next(); }
  void WaitUntilStopped() {
    std::unique_lock lock(mutex_);
    stopped_cv_.wait(lock, [&] { return stopped_; });
  }
  long completed() const { return completed_; }
  long failed() const { return failed_; }

 private:
  void Next() {
    if (stop_.load(std::memory_order_relaxed)) {
      std::lock_guard lock(mutex_);
      stopped_ = true;
      stopped_cv_.notify_all();
      return;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    issue_(context_.get(), [this](grpc::Status status) {
      status.ok() ? ++completed_ : ++failed_;
      Next();
    });
  }

  Issue issue_;
  const std::atomic<bool>& stop_;
  std::unique_ptr<grpc::ClientContext> context_;
  long completed_ = 0;
  long failed_ = 0;
  std::mutex mutex_;
  std::condition_variable stopped_cv_;
  bool stopped_ = false;
};

// Calls per second with `clients` closed-loop clients, each on its own
// connection, for `seconds`. make_issue(channel) returns a LoopClient::Issue.
template <typename MakeIssue>
double Throughput(const std::string& socket, int clients, double seconds, MakeIssue&& make_issue) {
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<LoopClient>> loops;
  for (int c = 0; c < clients; ++c) {
    loops.push_back(std::make_unique<LoopClient>(make_issue(NewChannel(socket, 1000 + c)), stop));
  }
  auto start = Clock::now();
  for (auto& loop : loops) loop->Start();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  long total = 0, failures = 0;
  for (auto& loop : loops) {
    loop->WaitUntilStopped();
    total += loop->completed();
    failures += loop->failed();
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failures > 0) std::cerr << "warning: " << failures << " calls failed\n";
  return total / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket;
  double seconds = 3;
  int latency_calls = 5000;
  CLI::App app{"Load and latency of the awsd RPC path against the empty-call floor", "awsd-rpc-load"};
  app.add_option("--socket", socket, "The daemon's socket")->required();
  app.add_option("--seconds", seconds, "Duration of each throughput run");
  app.add_option("--latency-calls", latency_calls, "Calls per latency measurement");
  CLI11_PARSE(app, argc, argv);

  auto channel = NewChannel(socket, 0);
  auto daemon = awsd::v1::DaemonService::NewStub(channel);
  auto sessions = awsd::v1::SessionService::NewStub(channel);
  awsd::v1::CreateSessionRequest create;
  create.mutable_spec()->mutable_explicit_credentials()->set_access_key_id("AKIDEXAMPLE");
  create.mutable_spec()->mutable_explicit_credentials()->set_secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  awsd::v1::Session session;
  {
    grpc::ClientContext context;
    auto status = sessions->CreateSession(&context, create, &session);
    if (!status.ok()) {
      std::cerr << "awsd-rpc-load: cannot reach awsd at " << socket << ": " << status.error_message() << "\n";
      return 1;
    }
  }
  const auto sign_request = awsd::bench::SmallS3Get(session.session_id());

  auto ping_once = [](awsd::v1::DaemonService::Stub& stub) {
    grpc::ClientContext context;
    awsd::v1::PingResponse reply;
    return stub.Ping(&context, awsd::v1::PingRequest(), &reply).ok();
  };
  auto sign_once = [&](awsd::v1::SigningService::Stub& stub) {
    grpc::ClientContext context;
    awsd::v1::SignResponse reply;
    return stub.Sign(&context, sign_request, &reply).ok() && !reply.signature().empty();
  };

  nlohmann::ordered_json out;
  auto signing = awsd::v1::SigningService::NewStub(channel);
  auto [ping_latency, sign_latency] =
      InterleavedLatency(latency_calls, [&] { ping_once(*daemon); }, [&] { sign_once(*signing); });
  awsd::v1::SignResponse one_reply;
  {
    grpc::ClientContext context;
    signing->Sign(&context, sign_request, &one_reply);
  }
  // The floor for this many bytes: a Ping as large as the Sign reply.
  awsd::v1::PingRequest sized_one;
  sized_one.set_payload(std::string(one_reply.ByteSizeLong(), 'x'));
  auto [sized_one_latency, sign_again] = InterleavedLatency(
      latency_calls,
      [&] {
        grpc::ClientContext context;
        awsd::v1::PingResponse reply;
        daemon->Ping(&context, sized_one, &reply);
      },
      [&] { sign_once(*signing); });
  out["latency_one_client"] = {
      {"ping_p50_us", ping_latency.p50_us},
      {"ping_p99_us", ping_latency.p99_us},
      {"sign_p50_us", sign_latency.p50_us},
      {"sign_p99_us", sign_latency.p99_us},
      {"sign_over_ping_p50", sign_latency.p50_us / ping_latency.p50_us},
      {"sign_request_bytes", sign_request.ByteSizeLong()},
      {"sign_reply_bytes", one_reply.ByteSizeLong()},
      {"ping_same_bytes_p50_us", sized_one_latency.p50_us},
      {"sign_over_ping_same_bytes_p50", sign_again.p50_us / sized_one_latency.p50_us},
  };

  for (int clients : {1, 8, 32}) {
    double ping_rate = Throughput(socket, clients, seconds, [&](std::shared_ptr<grpc::Channel> ch) {
      auto stub = std::shared_ptr<awsd::v1::DaemonService::Stub>(awsd::v1::DaemonService::NewStub(ch));
      auto request = std::make_shared<awsd::v1::PingRequest>();
      auto reply = std::make_shared<awsd::v1::PingResponse>();
      return LoopClient::Issue([stub, request, reply](grpc::ClientContext* context, auto done) {
        stub->async()->Ping(context, request.get(), reply.get(), std::move(done));
      });
    });
    double sign_rate = Throughput(socket, clients, seconds, [&](std::shared_ptr<grpc::Channel> ch) {
      auto stub = std::shared_ptr<awsd::v1::SigningService::Stub>(awsd::v1::SigningService::NewStub(ch));
      auto reply = std::make_shared<awsd::v1::SignResponse>();
      return LoopClient::Issue([stub, &sign_request, reply](grpc::ClientContext* context, auto done) {
        stub->async()->Sign(context, &sign_request, reply.get(), std::move(done));
      });
    });
    out["throughput"][std::to_string(clients) + "_clients"] = {
        {"ping_per_s", ping_rate}, {"sign_per_s", sign_rate}, {"sign_over_ping", sign_rate / ping_rate}};
  }

  // SignBatch: 64 requests a message, beside a Ping that carries as many
  // bytes each way (the transport's floor for that much data).
  constexpr int kBatch = 64;
  awsd::v1::SignBatchRequest batch;
  for (int i = 0; i < kBatch; ++i) *batch.add_requests() = sign_request;
  awsd::v1::SignBatchResponse batch_reply;
  {
    grpc::ClientContext context;
    signing->SignBatch(&context, batch, &batch_reply);
  }
  int batch_calls = std::max(latency_calls / 10, 100);
  awsd::v1::PingRequest sized_ping;
  sized_ping.set_payload(std::string(std::max(batch.ByteSizeLong(), batch_reply.ByteSizeLong()), 'x'));
  auto [batch_latency, sized_ping_latency] = InterleavedLatency(
      batch_calls,
      [&] {
        // Parsed into an arena, as a busy client would: a reply of 64
        // signed requests is hundreds of small strings.
        google::protobuf::Arena arena;
        grpc::ClientContext context;
        auto* reply = google::protobuf::Arena::CreateMessage<awsd::v1::SignBatchResponse>(&arena);
        signing->SignBatch(&context, batch, reply);
      },
      [&] {
        grpc::ClientContext context;
        awsd::v1::PingResponse reply;
        daemon->Ping(&context, sized_ping, &reply);
      });
  out["sign_batch_64"] = {{"p50_us_per_batch", batch_latency.p50_us},
                          {"p50_us_per_signature", batch_latency.p50_us / kBatch},
                          {"request_bytes", batch.ByteSizeLong()},
                          {"reply_bytes", batch_reply.ByteSizeLong()},
                          {"ping_same_bytes_p50_us", sized_ping_latency.p50_us}};

  // SignStream: one long-lived stream; one request in flight, then 64.
  {
    grpc::ClientContext context;
    auto stream = signing->SignStream(&context);
    awsd::v1::SignResult result;
    auto stream_latency = Latency(latency_calls, [&] {
      stream->Write(sign_request);
      stream->Read(&result);
    });
    // 64 requests in flight: write them all, then read the 64 results.
    auto pipelined = Latency(std::max(latency_calls / 10, 100), [&] {
      for (int i = 0; i < kBatch; ++i) stream->Write(sign_request);
      for (int i = 0; i < kBatch; ++i) stream->Read(&result);
    });
    stream->WritesDone();
    stream->Finish().ok();
    out["sign_stream"] = {{"p50_us_per_signature_one_in_flight", stream_latency.p50_us},
                          {"p99_us_one_in_flight", stream_latency.p99_us},
                          {"p50_us_per_signature_64_in_flight", pipelined.p50_us / kBatch}};
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}
