#include "daemon/server/call_metrics.h"

#include <array>
#include <string>

#include "absl/status/status.h"
#include "daemon/metrics/registry.h"

namespace awsd::server {
namespace {

struct CallFamilies {
  metrics::CounterFamily& calls;
  metrics::HistogramFamily& latency;
};

const CallFamilies& Families() {
  static const CallFamilies families{
      metrics::Global().AddCounter("awsd_calls_total",
                                   "RPCs answered, by gRPC method (rpc), the AWS service and operation they acted "
                                   "for, and gRPC status code.",
                                   {"rpc", "service", "operation", "code"}),
      metrics::Global().AddHistogram("awsd_call_duration_seconds",
                                     "Time from an RPC's arrival to its status, by gRPC method (rpc) and the AWS "
                                     "service and operation it acted for.",
                                     {"rpc", "service", "operation"}, metrics::LatencyBuckets()),
  };
  return families;
}

// gRPC's code names, made once: absl builds a new string at each call.
std::string_view CodeName(int code) {
  static const std::array<std::string, 17> names = [] {
    std::array<std::string, 17> all;
    for (int i = 0; i < 17; ++i) all[i] = absl::StatusCodeToString(static_cast<absl::StatusCode>(i));
    return all;
  }();
  return code >= 0 && code < 17 ? std::string_view(names[code]) : std::string_view("UNKNOWN");
}

}  // namespace

void RecordCallMetrics(std::string_view method, std::string_view service, std::string_view operation, int grpc_code,
                       double seconds) {
  if (method.starts_with('/')) method.remove_prefix(1);
  const CallFamilies& families = Families();
  families.calls.With({method, service, operation, CodeName(grpc_code)}).Increment();
  families.latency.With({method, service, operation}).Observe(seconds);
}

}  // namespace awsd::server
