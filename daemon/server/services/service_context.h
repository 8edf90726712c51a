#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "daemon/common/worker_pool.h"
#include "daemon/invoke/invoker.h"
#include "daemon/server/call_limiter.h"
#include "daemon/server/peer_credentials.h"
#include "daemon/session/session_registry.h"
#include "daemon/signing/signer.h"

namespace awsd::server {

class CallGate;

// What every service handler needs from the daemon, handed in rather than
// reached through globals so handlers are testable alone.
struct ServiceContext {
  session::SessionRegistry& sessions;
  signing::Signer& signer;
  CallLimiter& limiter;
  const PeerTable& peers;
  // CPU work a handler splits across cores.
  WorkerPool& workers;
  std::string socket_path;
  // The call path; null when no service models were found.
  invoke::Invoker* invoker = nullptr;
  // The policy, limits and audit of each call (daemon/server/call_gate.h);
  // null only where handlers run without a daemon (benchmarks).
  CallGate* gate = nullptr;
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
};

}  // namespace awsd::server
