#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "daemon/credentials/environment_provider.h"
#include "daemon/session/session.h"

namespace awsd::session {

// Holds the daemon's sessions: those clients create and close by id, and
// those described inline in a call, kept in a bounded cache keyed by their
// options so a one-shot client does not rebuild one per call.
class SessionRegistry {
 public:
  explicit SessionRegistry(credentials::EnvironmentLookup environment = credentials::ProcessEnvironment(),
                           std::size_t max_inline_sessions = 1024);

  // A new session with a fresh id.
  absl::StatusOr<std::shared_ptr<const Session>> Create(const SessionOptions& options);
  // NOT_FOUND for an unknown or closed id.
  absl::StatusOr<std::shared_ptr<const Session>> Get(const std::string& id) const;
  // Forgets a session; unknown ids are ignored.
  void Close(const std::string& id);
  // The session for inline options, made on first use and reused after.
  absl::StatusOr<std::shared_ptr<const Session>> ForOptions(const SessionOptions& options);

  std::size_t open_sessions() const;

 private:
  absl::StatusOr<std::shared_ptr<const Session>> Build(std::string id, const SessionOptions& options) const;

  credentials::EnvironmentLookup environment_;
  std::size_t max_inline_sessions_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Session>> by_id_;
  // Least recently used inline session at the back.
  std::list<std::pair<std::string, std::shared_ptr<const Session>>> inline_lru_;
  std::unordered_map<std::string, decltype(inline_lru_)::iterator> inline_by_key_;
};

}  // namespace awsd::session
