#pragma once

#include <string_view>

namespace awsd::server {

// Counts one finished RPC in awsd_calls_total and observes its latency in
// awsd_call_duration_seconds (daemon/metrics/README.md). `method` is gRPC's
// "/awsd.v1.SigningService/Sign"; `service` and `operation` are what the
// call acted for as the policy saw it (model names for Invoke, the signing
// name for Sign), empty when it acted for nothing; `grpc_code` its status.
// Label values are names, never request contents.
void RecordCallMetrics(std::string_view method, std::string_view service, std::string_view operation, int grpc_code,
                       double seconds);

}  // namespace awsd::server
