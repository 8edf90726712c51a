#include "daemon/security/audit_record.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace awsd::security {
namespace {

nlohmann::json OrNull(const std::string& value) { return value.empty() ? nlohmann::json() : nlohmann::json(value); }

}  // namespace

std::string ToJsonLine(const AuditRecord& record) {
  nlohmann::ordered_json line;
  line["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(record.time), absl::UTCTimeZone());
  line["uid"] = record.caller.uid;
  line["gid"] = record.caller.gid;
  line["pid"] = record.caller.pid;
  line["attested"] = record.caller.attested;
  line["exe"] = OrNull(record.caller.exe);
  line["cgroup"] = OrNull(record.caller.cgroup);
  line["method"] = record.method;
  line["profile"] = OrNull(record.profile);
  line["service"] = OrNull(record.service);
  line["operation"] = OrNull(record.operation);
  line["decision"] = OrNull(record.decision);
  line["rule"] = OrNull(record.rule);
  if (!record.reason.empty()) line["reason"] = record.reason;
  line["request_id"] = OrNull(record.request_id);
  line["latency_ms"] = static_cast<double>(static_cast<int64_t>(record.latency_ms * 1000)) / 1000;
  line["status"] = absl::StatusCodeToString(static_cast<absl::StatusCode>(record.grpc_code));
  line["status_code"] = record.grpc_code;
  if (record.calls > 1 || record.denied > 0) {
    line["calls"] = record.calls;
    line["denied"] = record.denied;
  }
  // Paths and names from /proc may hold invalid UTF-8: replace, not throw.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace awsd::security
