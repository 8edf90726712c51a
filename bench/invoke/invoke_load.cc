// awsd-invoke-load: the whole call path (gRPC, session, endpoint, serialise,
// sign, HTTP, parse) through a running awsd, against a stub that answers at
// once: one client's latency, then many clients' throughput. JSON out.
//   awsd-invoke-load --socket PATH [--seconds S] [--clients N] [--calls N]

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "awsd/client.h"
#include "awsd/v1/invoke.grpc.pb.h"
#include "nlohmann/json.hpp"

namespace {

using Clock = std::chrono::steady_clock;

awsd::v1::InvokeRequest ListTables() {
  awsd::v1::InvokeRequest request;
  request.set_service("dynamodb");
  request.set_operation("ListTables");
  request.set_params_json("{}");
  return request;
}

bool CallOnce(const awsd::Client& client, const awsd::v1::InvokeRequest& request) {
  auto reply = client.Invoke(awsd::Session::Default(), request);
  return reply.ok() && !reply->result_json().empty();
}

double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  return samples[std::min(samples.size() - 1, static_cast<std::size_t>(p * samples.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket;
  double seconds = 3;
  int clients = 32;
  int calls = 3000;
  CLI::App app{"Latency and throughput of Invoke through awsd", "awsd-invoke-load"};
  app.add_option("--socket", socket, "The daemon's socket")->required();
  app.add_option("--seconds", seconds, "Duration of the throughput run");
  app.add_option("--clients", clients, "Concurrent clients (each its own connection)");
  app.add_option("--calls", calls, "Calls in the one-client latency run");
  CLI11_PARSE(app, argc, argv);

  const awsd::v1::InvokeRequest request = ListTables();
  awsd::Client one({.socket_path = socket});
  {
    auto reply = one.Invoke(awsd::Session::Default(), request);
    if (!reply.ok()) {
      std::cerr << "awsd-invoke-load: " << reply.error().ToString() << "\n";
      return 1;
    }
  }
  for (int i = 0; i < 200; ++i) CallOnce(one, request);  // warm-up

  std::vector<double> latencies;
  latencies.reserve(calls);
  int failures = 0;
  const auto latency_start = Clock::now();
  for (int i = 0; i < calls; ++i) {
    const auto start = Clock::now();
    failures += CallOnce(one, request) ? 0 : 1;
    latencies.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  const double mean_us =
      std::chrono::duration<double, std::micro>(Clock::now() - latency_start).count() / std::max(1, calls);

  // The same call as a unary Invoke RPC (the path Client::Invoke took before
  // InvokeSession), alternated call by call with Client::Invoke so that both
  // see the same machine: what the open stream saves.
  std::vector<double> session_samples, unary_samples;
  {
    auto channel = grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials());
    auto stub = awsd::v1::InvokeService::NewStub(channel);
    auto unary_once = [&] {
      grpc::ClientContext context;
      awsd::v1::InvokeResponse reply;
      return stub->Invoke(&context, request, &reply).ok() && !reply.result_json().empty();
    };
    for (int i = 0; i < 200; ++i) unary_once();  // warm-up
    for (int i = 0; i < calls; ++i) {
      auto start = Clock::now();
      failures += CallOnce(one, request) ? 0 : 1;
      session_samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      start = Clock::now();
      failures += unary_once() ? 0 : 1;
      unary_samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
  }

  std::atomic<bool> stop{false};
  std::atomic<long> completed{0}, failed{0};
  std::vector<std::thread> threads;
  std::vector<std::vector<double>> per_thread(clients);
  const auto throughput_start = Clock::now();
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      awsd::Client client({.socket_path = socket});
      while (!stop.load(std::memory_order_relaxed)) {
        const auto start = Clock::now();
        if (CallOnce(client, request)) {
          ++completed;
        } else {
          ++failed;
        }
        per_thread[t].push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - throughput_start).count();
  std::vector<double> loaded;
  for (auto& samples : per_thread) loaded.insert(loaded.end(), samples.begin(), samples.end());

  nlohmann::json out = {
      {"operation", "dynamodb ListTables"},
      {"one_client",
       {{"calls", calls},
        {"failures", failures},
        {"mean_us", mean_us},
        {"p50_us", Percentile(latencies, 0.5)},
        {"p99_us", Percentile(latencies, 0.99)}}},
      {"one_client_alternating",
       {{"calls_each", calls},
        {"invoke_session_p50_us", Percentile(session_samples, 0.5)},
        {"unary_invoke_p50_us", Percentile(unary_samples, 0.5)}}},
      {"many_clients",
       {{"clients", clients},
        {"seconds", elapsed},
        {"calls", completed.load()},
        {"failures", failed.load()},
        {"calls_per_second", completed.load() / elapsed},
        {"p50_us", Percentile(loaded, 0.5)},
        {"p99_us", Percentile(loaded, 0.99)}}},
  };
  std::cout << out.dump(2) << std::endl;
  return failures + failed.load() > 0 ? 1 : 0;
}
