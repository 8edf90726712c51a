#pragma once

// Where every call meets the security module: the caller's identity (from
// the PeerTable), the policy's decision, the per-caller limits, and the
// audit line. The interceptor (security_interceptor.h) opens and closes a
// record per RPC; handlers ask Authorize() before acting with credentials.

#include <grpcpp/server_context.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/status.h"
#include "daemon/security/audit_log.h"
#include "daemon/security/caller_identity.h"
#include "daemon/security/caller_limits.h"
#include "daemon/security/policy.h"
#include "daemon/server/peer_credentials.h"

namespace awsd::server {

class CallGate {
 public:
  CallGate(const PeerTable& peers, security::AuditLog& audit, security::CallerLimits& limits, security::Policy policy);

  // SIGHUP: calls authorized from now on use `policy`.
  void SetPolicy(security::Policy policy);
  // The policy in force, for callers outside gRPC (the compat endpoints):
  // decide with policy()->Decide(identity, action).
  std::shared_ptr<const security::Policy> policy() const { return policy_.load(); }

  // From the interceptor, when an RPC arrives and when its status is sent.
  // The caller is looked up when first needed (Authorize, else End): by
  // then gRPC knows the call's peer for certain.
  void Begin(const grpc::ServerContextBase* call, std::string method);
  void End(const grpc::ServerContextBase* call, int grpc_code);
  // AWS's request id of a reply, for the audit line.
  void NoteRequestId(const grpc::ServerContextBase* call, const std::string& request_id);

  // Whether the RPC's caller may do `action`: OK, PERMISSION_DENIED naming
  // the rule, RESOURCE_EXHAUSTED past a per-caller limit, or UNAVAILABLE
  // when an action on AWS cannot be audited. Each call records its outcome
  // for the RPC's audit line.
  absl::Status Authorize(const grpc::ServerContextBase* call, const security::Action& action);

  // The identity the policy sees for an RPC (unattested for an unknown one).
  security::CallerIdentity Caller(const grpc::ServerContextBase* call) const;

 private:
  struct Record {
    bool resolved = false;
    std::shared_ptr<const security::PeerAttestation> attestation;
    security::CallerIdentity caller;
    std::string method;
    std::chrono::steady_clock::time_point started;
    std::chrono::system_clock::time_point time;
    security::CallerLimits::Slot slot;
    bool over_concurrency = false;
    // InvokeSession: every message is a call, each taking a rate token.
    bool message_is_call = false;
    security::Action action;
    bool has_action = false;
    std::string decision, rule, reason, request_id;
    int calls = 0;
    int denied = 0;
  };
  // Records are sharded by call so concurrent calls rarely share a lock.
  struct Shard {
    std::mutex mutex;
    std::unordered_map<const void*, Record> records;
  };
  Shard& ShardOf(const void* call) const;
  // Fills the record's caller (and, with `take_slot`, its per-uid slot).
  void Resolve(Record& record, const grpc::ServerContextBase* call, bool take_slot);
  absl::Status Refuse(Record& record, const security::Action& action, std::string rule, std::string reason,
                      absl::Status status);

  const PeerTable& peers_;
  security::AuditLog& audit_;
  security::CallerLimits& limits_;
  std::atomic<std::shared_ptr<const security::Policy>> policy_;
  mutable std::array<Shard, 16> shards_;
};

}  // namespace awsd::server
