#pragma once

// One audit line: who called, what they asked for, what was decided and how
// the call ended. Never a secret: requests, replies and error texts from AWS
// are not part of it; `reason` is the policy's own wording.

#include <chrono>
#include <string>

#include "daemon/security/caller_identity.h"

namespace awsd::security {

struct AuditRecord {
  std::chrono::system_clock::time_point time;
  CallerIdentity caller;
  // The gRPC method, "/awsd.v1.InvokeService/Invoke".
  std::string method;
  std::string profile;
  std::string service;
  std::string operation;
  // "allow", "deny", or "" when the call was not put to the policy (the
  // standard health and reflection services).
  std::string decision;
  std::string rule;
  std::string reason;
  // AWS's request id, when the call reached AWS and it answered with one.
  std::string request_id;
  double latency_ms = 0;
  // The gRPC status code the call ended with.
  int grpc_code = 0;
  // For RPCs that carry many calls (SignBatch, SignStream, InvokeSession):
  // how many the policy was asked about, and how many it refused.
  int calls = 0;
  int denied = 0;
};

// The record as one line of JSON, newline included.
std::string ToJsonLine(const AuditRecord& record);

}  // namespace awsd::security
