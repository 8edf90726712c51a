#include "daemon/server/call_gate.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "daemon/security/audit_record.h"
#include "daemon/server/call_metrics.h"
#include "spdlog/spdlog.h"

namespace awsd::server {
namespace {

security::CallerIdentity Unknown(const std::optional<PeerCredentials>& peer) {
  security::CallerIdentity caller;
  if (peer) {
    caller.uid = peer->uid;
    caller.gid = peer->gid;
    caller.pid = peer->pid;
  }
  return caller;
}

}  // namespace

CallGate::CallGate(const PeerTable& peers, security::AuditLog& audit, security::CallerLimits& limits,
                   security::Policy policy)
    : peers_(peers),
      audit_(audit),
      limits_(limits),
      policy_(std::make_shared<const security::Policy>(std::move(policy))) {}

void CallGate::SetPolicy(security::Policy policy) {
  policy_.store(std::make_shared<const security::Policy>(std::move(policy)));
}

CallGate::Shard& CallGate::ShardOf(const void* call) const {
  return shards_[std::hash<const void*>()(call) % shards_.size()];
}

void CallGate::Resolve(Record& record, const grpc::ServerContextBase* call, bool take_slot) {
  if (record.resolved) return;
  record.resolved = true;
  const std::string peer = call->peer();
  record.attestation = peers_.LookupAttestation(peer);
  record.caller = record.attestation ? record.attestation->Current() : Unknown(peers_.Lookup(peer));
  if (!take_slot) return;
  record.slot = limits_.TryEnter(record.caller.uid);
  record.over_concurrency = !record.slot;
}

void CallGate::Begin(const grpc::ServerContextBase* call, std::string method) {
  Record record;
  record.message_is_call = method == "/awsd.v1.InvokeSessionService/InvokeSession";
  record.method = std::move(method);
  record.started = std::chrono::steady_clock::now();
  record.time = std::chrono::system_clock::now();
  Shard& shard = ShardOf(call);
  std::lock_guard lock(shard.mutex);
  shard.records[call] = std::move(record);
}

void CallGate::End(const grpc::ServerContextBase* call, int grpc_code) {
  Record record;
  {
    Shard& shard = ShardOf(call);
    std::lock_guard lock(shard.mutex);
    auto it = shard.records.find(call);
    if (it == shard.records.end()) return;
    record = std::move(it->second);
    shard.records.erase(it);
  }
  record.slot = {};
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - record.started).count();
  // Every RPC is counted, audited or not; the action says what it was for.
  static const std::string kNone;
  RecordCallMetrics(record.method, record.has_action ? record.action.service : kNone,
                    record.has_action ? record.action.operation : kNone, grpc_code, seconds);
  if (!audit_.enabled()) return;
  Resolve(record, call, /*take_slot=*/false);
  security::AuditRecord line;
  line.time = record.time;
  line.caller = record.caller;
  line.method = record.method;
  if (record.has_action) {
    line.profile = record.action.profile;
    line.service = record.action.service;
    line.operation = record.action.operation;
  }
  line.decision = record.decision;
  line.rule = record.rule;
  line.reason = record.reason;
  line.request_id = record.request_id;
  line.latency_ms = seconds * 1000;
  line.grpc_code = grpc_code;
  line.calls = record.calls;
  line.denied = record.denied;
  if (auto st = audit_.Write(security::ToJsonLine(line)); !st.ok()) {
    spdlog::error("audit: {}", std::string(st.message()));
  }
}

void CallGate::NoteRequestId(const grpc::ServerContextBase* call, const std::string& request_id) {
  if (request_id.empty()) return;
  Shard& shard = ShardOf(call);
  std::lock_guard lock(shard.mutex);
  auto it = shard.records.find(call);
  if (it != shard.records.end()) it->second.request_id = request_id;
}

security::CallerIdentity CallGate::Caller(const grpc::ServerContextBase* call) const {
  Shard& shard = ShardOf(call);
  std::lock_guard lock(shard.mutex);
  auto it = shard.records.find(call);
  if (it == shard.records.end()) return {};
  return it->second.caller;
}

absl::Status CallGate::Refuse(Record& record, const security::Action& action, std::string rule, std::string reason,
                              absl::Status status) {
  ++record.denied;
  // The audit line keeps the first refusal of an RPC: it is the one that
  // ended a unary call, and the telling one in a stream.
  if (record.decision != "deny") {
    record.action = action;
    record.has_action = true;
    record.decision = "deny";
    record.rule = std::move(rule);
    record.reason = std::move(reason);
  }
  return status;
}

absl::Status CallGate::Authorize(const grpc::ServerContextBase* call, const security::Action& action) {
  Shard& shard = ShardOf(call);
  std::unique_lock lock(shard.mutex);
  auto it = shard.records.find(call);
  if (it == shard.records.end()) {
    // Every RPC passes the interceptor first; one that did not is refused
    // rather than served unaccounted.
    return absl::PermissionDeniedError("the call has no caller record");
  }
  Record& record = it->second;
  ++record.calls;
  if (!record.resolved) {
    Resolve(record, call, /*take_slot=*/true);
  } else if (record.attestation) {
    // Re-checked per call: the connecting process may have exited since the
    // RPC began, and a long stream must stop being credited to it.
    record.caller = record.attestation->Current();
  }

  if (record.over_concurrency) {
    return Refuse(record, action, "caller_limits", "",
                  absl::ResourceExhaustedError(absl::StrCat("too many calls in flight for uid ", record.caller.uid,
                                                            " (caller_limits.max_concurrent_calls)")));
  }
  if ((record.calls == 1 || record.message_is_call) && !limits_.TryTakeToken(record.caller.uid)) {
    return Refuse(record, action, "caller_limits", "",
                  absl::ResourceExhaustedError(absl::StrCat("too many calls per second for uid ", record.caller.uid,
                                                            " (caller_limits.calls_per_second)")));
  }
  const security::Decision decision = policy_.load()->Decide(record.caller, action);
  if (!decision.allowed) {
    return Refuse(record, action, decision.rule, decision.reason, absl::PermissionDeniedError(decision.reason));
  }
  if (action.kind != security::Action::Kind::kConnect) {
    if (absl::Status health = audit_.Health(); !health.ok()) {
      return Refuse(record, action, "audit", "the audit log cannot be written", health);
    }
  }
  if (record.decision != "deny") {
    record.action = action;
    record.has_action = true;
    record.decision = "allow";
    record.rule = decision.rule;
  }
  return absl::OkStatus();
}

}  // namespace awsd::server
