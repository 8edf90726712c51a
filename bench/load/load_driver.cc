// awsd-load: many clients, each on its own connection as separate processes
// would be, calling Sign and Invoke on a running awsd for a fixed time, while
// the daemon's RSS, descriptors and threads are sampled once a second. One
// JSON object out; exit status 1 when a call failed or RSS grew 5% or more
// after warm-up, so scripts can use it as a verdict.
//
//   awsd-load --socket PATH --daemon-pid PID [--clients 256] [--seconds 60]
//             [--warmup 10] [--invoke-share 0.5]
//
// Invoke calls dynamodb ListTables on the endpoint the daemon was started
// with (bench/load/run.sh points it at awsd-invoke-stub).

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "awsd/v1/invoke.grpc.pb.h"
#include "awsd/v1/signing.grpc.pb.h"
#include "bench/common/sign_requests.h"
#include "bench/load/process_sample.h"
#include "nlohmann/json.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct CallStats {
  long ok = 0;
  long failed = 0;
  std::string first_error;
  std::vector<float> latency_us;

  void Add(const CallStats& other) {
    ok += other.ok;
    failed += other.failed;
    if (first_error.empty()) first_error = other.first_error;
    latency_us.insert(latency_us.end(), other.latency_us.begin(), other.latency_us.end());
  }
};

struct ClientStats {
  CallStats sign;
  CallStats invoke;
};

std::shared_ptr<grpc::Channel> NewChannel(const std::string& socket, int id) {
  grpc::ChannelArguments args;
  // A distinct argument keeps gRPC from sharing one connection between
  // channels: each client gets its own, as a separate process would.
  args.SetInt("awsd.load.client", id);
  return grpc::CreateCustomChannel("unix:" + socket, grpc::InsecureChannelCredentials(), args);
}

awsd::v1::InvokeRequest ListTables() {
  awsd::v1::InvokeRequest request;
  request.set_service("dynamodb");
  request.set_operation("ListTables");
  request.set_params_json("{}");
  return request;
}

void Record(CallStats& stats, const grpc::Status& status, bool answered, Clock::time_point start) {
  stats.latency_us.push_back(std::chrono::duration<float, std::micro>(Clock::now() - start).count());
  if (status.ok() && answered) {
    ++stats.ok;
    return;
  }
  ++stats.failed;
  if (stats.first_error.empty()) {
    stats.first_error = status.ok() ? "empty reply" : std::to_string(status.error_code()) + " " + status.error_message();
  }
}

// One client: a blocking loop on its own connection. Which call comes next
// follows a fixed pattern so that the mix is exact, not sampled.
void RunClient(const std::string& socket, int id, double invoke_share, const std::atomic<bool>& stop,
               ClientStats& stats) {
  auto channel = NewChannel(socket, id);
  auto signer = awsd::v1::SigningService::NewStub(channel);
  auto invoker = awsd::v1::InvokeService::NewStub(channel);
  awsd::v1::SignRequest sign_request = awsd::bench::SmallS3Get("");
  sign_request.clear_session();  // the daemon's default session
  const awsd::v1::InvokeRequest invoke_request = ListTables();
  double invoke_credit = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    const auto start = Clock::now();
    invoke_credit += invoke_share;
    if (invoke_credit >= 1) {
      invoke_credit -= 1;
      awsd::v1::InvokeResponse reply;
      const grpc::Status status = invoker->Invoke(&context, invoke_request, &reply);
      Record(stats.invoke, status, !reply.result_json().empty(), start);
    } else {
      awsd::v1::SignResponse reply;
      const grpc::Status status = signer->Sign(&context, sign_request, &reply);
      Record(stats.sign, status, !reply.signature().empty(), start);
    }
  }
}

nlohmann::json Summary(CallStats& stats, double seconds) {
  std::sort(stats.latency_us.begin(), stats.latency_us.end());
  auto at = [&](double q) -> double {
    if (stats.latency_us.empty()) return 0;
    return stats.latency_us[std::min(stats.latency_us.size() - 1, static_cast<size_t>(q * stats.latency_us.size()))];
  };
  nlohmann::json out = {{"ok", stats.ok},
                        {"failed", stats.failed},
                        {"calls_per_s", (stats.ok + stats.failed) / seconds},
                        {"p50_us", at(0.50)},
                        {"p99_us", at(0.99)},
                        {"p999_us", at(0.999)},
                        {"max_us", at(1.0)}};
  if (!stats.first_error.empty()) out["first_error"] = stats.first_error;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket;
  int daemon_pid = 0;
  int clients = 256;
  double seconds = 60;
  double warmup = 10;
  double invoke_share = 0.5;
  double max_rss_growth_pct = 5;
  CLI::App app{"Many clients calling Sign and Invoke on a running awsd; RSS, fds and threads sampled", "awsd-load"};
  app.add_option("--socket", socket, "The daemon's socket")->required();
  app.add_option("--daemon-pid", daemon_pid, "The daemon's pid, to sample its RSS, fds and threads")->required();
  app.add_option("--clients", clients, "Concurrent clients, each on its own connection")->check(CLI::Range(1, 4096));
  app.add_option("--seconds", seconds, "Duration of the run, warm-up included")->check(CLI::PositiveNumber);
  app.add_option("--warmup", warmup, "Seconds after which RSS is taken as the baseline")->check(CLI::NonNegativeNumber);
  app.add_option("--invoke-share", invoke_share, "Share of calls that are Invoke, the rest Sign")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--max-rss-growth-pct", max_rss_growth_pct, "Verdict: most RSS growth after warm-up");
  CLI11_PARSE(app, argc, argv);
  if (warmup >= seconds) {
    std::cerr << "awsd-load: --warmup must be shorter than --seconds\n";
    return 2;
  }

  std::atomic<bool> stop{false};
  std::vector<ClientStats> stats(clients);
  std::vector<std::thread> threads;
  threads.reserve(clients);
  const auto start = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back(RunClient, std::cref(socket), c, invoke_share, std::cref(stop), std::ref(stats[c]));
  }

  // The daemon sampled once a second; the baseline is the first sample past
  // the warm-up, when pools, arenas and caches have reached their size.
  std::vector<awsd::bench::ProcessSample> samples;
  awsd::bench::ProcessSample baseline;
  bool have_baseline = false;
  for (int second = 1; second <= static_cast<int>(seconds); ++second) {
    std::this_thread::sleep_until(start + std::chrono::seconds(second));
    auto sample = awsd::bench::SampleProcess(daemon_pid);
    if (!sample) {
      std::cerr << "awsd-load: the daemon (pid " << daemon_pid << ") is gone\n";
      stop = true;
      break;
    }
    samples.push_back(*sample);
    if (!have_baseline && second >= warmup) {
      baseline = *sample;
      have_baseline = true;
    }
  }
  stop = true;
  for (auto& thread : threads) thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  ClientStats total;
  for (auto& client : stats) {
    total.sign.Add(client.sign);
    total.invoke.Add(client.invoke);
  }
  const awsd::bench::ProcessSample last = samples.empty() ? baseline : samples.back();
  const double growth_pct =
      have_baseline && baseline.rss_kib > 0 ? 100.0 * (last.rss_kib - baseline.rss_kib) / baseline.rss_kib : 0;
  nlohmann::json rss_series = nlohmann::json::array();
  for (const auto& sample : samples) rss_series.push_back(sample.rss_kib);

  const long failed = total.sign.failed + total.invoke.failed;
  const bool flat = have_baseline && growth_pct < max_rss_growth_pct;
  nlohmann::json out = {
      {"clients", clients},
      {"seconds", elapsed},
      {"sign", Summary(total.sign, elapsed)},
      {"invoke", Summary(total.invoke, elapsed)},
      {"daemon",
       {{"rss_kib_after_warmup", baseline.rss_kib},
        {"rss_kib_at_end", last.rss_kib},
        {"rss_growth_pct", growth_pct},
        {"fds_after_warmup", baseline.fds},
        {"fds_at_end", last.fds},
        {"threads_after_warmup", baseline.threads},
        {"threads_at_end", last.threads},
        {"rss_kib_each_second", rss_series}}},
      {"verdict", failed == 0 && flat ? "pass" : "fail"}};
  std::cout << out.dump(2) << std::endl;
  return failed == 0 && flat ? 0 : 1;
}
