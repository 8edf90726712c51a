// awsd-rpc-load: measures the RPC path of a running awsd against the
// transport's floor (the empty Ping RPC), on the same daemon, in one run.
//
//   awsd-rpc-load --socket PATH [--seconds S] [--latency-calls N]
//
// Prints one JSON object: per-call latency (p50/p99) of Ping and Sign from
// one client; throughput of Ping and Sign with 1, 8 and 32 clients (each its
// own connection, as separate processes would be); and the cost per
// signature of SignBatch (64 per message) and SignStream.
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "awsd/v1/daemon.grpc.pb.h"
#include "awsd/v1/session.grpc.pb.h"
#include "awsd/v1/signing.grpc.pb.h"
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

awsd::v1::SignRequest SmallGet(const std::string& session_id) {
  awsd::v1::SignRequest request;
  request.mutable_session()->set_session_id(session_id);
  request.mutable_request()->set_method("GET");
  request.mutable_request()->set_url("https://examplebucket.s3.amazonaws.com/photos/2024/cat.jpg?versionId=3");
  auto* h = request.mutable_request()->add_headers();
  h->set_name("Range");
  h->set_value("bytes=0-9");
  request.set_service("s3");
  request.set_region("us-east-1");
  request.set_content_sha256_header(true);
  request.set_disable_path_normalization(true);
  request.set_disable_double_encoding(true);
  return request;
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

// Calls per second with `clients` threads, each with its own connection,
// calling back to back for `seconds`.
template <typename MakeCall>
double Throughput(const std::string& socket, int clients, double seconds, MakeCall&& make_call) {
  std::atomic<bool> stop{false};
  std::atomic<long> total{0};
  std::atomic<long> failures{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto call = make_call(NewChannel(socket, 1000 + c));
      long done = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        if (call()) {
          ++done;
        } else {
          failures.fetch_add(1);
        }
      }
      total.fetch_add(done);
    });
  }
  auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failures.load() > 0) std::cerr << "warning: " << failures.load() << " calls failed\n";
  return total.load() / elapsed;
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
  const auto sign_request = SmallGet(session.session_id());

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
  auto ping_latency = Latency(latency_calls, [&] { ping_once(*daemon); });
  auto sign_latency = Latency(latency_calls, [&] { sign_once(*signing); });
  out["latency_one_client"] = {
      {"ping_p50_us", ping_latency.p50_us},
      {"ping_p99_us", ping_latency.p99_us},
      {"sign_p50_us", sign_latency.p50_us},
      {"sign_p99_us", sign_latency.p99_us},
      {"sign_over_ping_p50", sign_latency.p50_us / ping_latency.p50_us},
  };

  for (int clients : {1, 8, 32}) {
    double ping_rate = Throughput(socket, clients, seconds, [&](std::shared_ptr<grpc::Channel> ch) {
      auto stub = std::shared_ptr<awsd::v1::DaemonService::Stub>(awsd::v1::DaemonService::NewStub(ch));
      return [stub, &ping_once] { return ping_once(*stub); };
    });
    double sign_rate = Throughput(socket, clients, seconds, [&](std::shared_ptr<grpc::Channel> ch) {
      auto stub = std::shared_ptr<awsd::v1::SigningService::Stub>(awsd::v1::SigningService::NewStub(ch));
      return [stub, &sign_once] { return sign_once(*stub); };
    });
    out["throughput"][std::to_string(clients) + "_clients"] = {
        {"ping_per_s", ping_rate}, {"sign_per_s", sign_rate}, {"sign_over_ping", sign_rate / ping_rate}};
  }

  // SignBatch: 64 requests a message.
  constexpr int kBatch = 64;
  awsd::v1::SignBatchRequest batch;
  for (int i = 0; i < kBatch; ++i) *batch.add_requests() = sign_request;
  auto batch_latency = Latency(std::max(latency_calls / 10, 100), [&] {
    grpc::ClientContext context;
    awsd::v1::SignBatchResponse reply;
    signing->SignBatch(&context, batch, &reply);
  });
  out["sign_batch_64"] = {{"p50_us_per_batch", batch_latency.p50_us},
                          {"p50_us_per_signature", batch_latency.p50_us / kBatch}};

  // SignStream: one long-lived stream, request then answer.
  {
    grpc::ClientContext context;
    auto stream = signing->SignStream(&context);
    awsd::v1::SignResult result;
    auto stream_latency = Latency(latency_calls, [&] {
      stream->Write(sign_request);
      stream->Read(&result);
    });
    stream->WritesDone();
    stream->Finish().ok();
    out["sign_stream"] = {{"p50_us_per_signature", stream_latency.p50_us}, {"p99_us", stream_latency.p99_us}};
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}
