#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/config/aws_config.h"
#include "daemon/config/file_stamp.h"
#include "daemon/credentials/environment_provider.h"
#include "daemon/credentials/mfa_codes.h"
#include "daemon/credentials/provider_cache.h"
#include "daemon/credentials/provider_context.h"
#include "daemon/signing/signer.h"
#include "daemon/session/session.h"

namespace awsd::session {

// Holds the daemon's sessions: those clients create and close by id, and
// those described inline in a call, kept in a bounded cache keyed by their
// options so a one-shot client does not rebuild one per call. Sessions are
// built from the AWS config and credentials files as loaded last (at start,
// then by ReloadAwsConfig); a session keeps the files as they were when it
// was made, as a boto3.Session does.
class SessionRegistry {
 public:
  // What credential sources reach out with. Defaults: the machine's files,
  // libcurl, the system clock.
  struct Outside {
    std::shared_ptr<const FileSystem> files;
    std::shared_ptr<http::HttpClient> http;
    credentials::ProviderContext::Clock clock;
  };

  explicit SessionRegistry(credentials::EnvironmentLookup environment = credentials::ProcessEnvironment(),
                           std::size_t max_inline_sessions = 1024, Outside outside = {});

  // Re-reads the AWS config and credentials files. On error (naming file
  // and line) the files as last read stay in use. Inline sessions are
  // rebuilt on their next use.
  absl::Status ReloadAwsConfig();
  // Reloads when either file was created, deleted, edited or replaced since
  // the last load (the daemon polls this, so `aws configure` takes effect
  // without a SIGHUP). True when it reloaded.
  absl::StatusOr<bool> ReloadAwsConfigIfChanged();
  // Why the files could not be read at start, when they could not: every
  // session is then refused with it (FAILED_PRECONDITION) until a reload
  // succeeds.
  absl::Status aws_config_status() const;
  // Every profile the files define.
  std::vector<std::string> AvailableProfiles() const;

  // A new session with a fresh id.
  absl::StatusOr<std::shared_ptr<const Session>> Create(const SessionOptions& options);
  // NOT_FOUND for an unknown or closed id.
  absl::StatusOr<std::shared_ptr<const Session>> Get(const std::string& id) const;
  // Forgets a session; unknown ids are ignored.
  void Close(const std::string& id);
  // The session for inline options, made on first use and reused after.
  absl::StatusOr<std::shared_ptr<const Session>> ForOptions(const SessionOptions& options);

  std::size_t open_sessions() const;
  // Identities with a live shared credentials cache.
  std::size_t cached_identities() const { return providers_.size(); }

 private:
  absl::StatusOr<std::shared_ptr<const Session>> Build(std::string id, const SessionOptions& options) const;

  std::shared_ptr<const config::AwsConfig> CurrentAwsConfig(absl::Status* status) const;
  // Keeps a client's MFA code for the mfa_serial of the profile's roles.
  void OfferMfaCode(const config::ProfileSet& profiles, const std::string& profile, const std::string& code) const;

  credentials::EnvironmentLookup environment_;
  std::size_t max_inline_sessions_;
  credentials::ProviderContext context_;
  std::shared_ptr<signing::Signer> signer_ = std::make_shared<signing::Signer>();
  // Shared by every session: one refresh per identity for the host.
  mutable credentials::ProviderCache providers_;
  std::shared_ptr<credentials::MfaCodes> mfa_codes_ = std::make_shared<credentials::MfaCodes>();
  mutable std::mutex mutex_;
  // The files as last read successfully (empty when they never were), and
  // the error of the last attempt when it failed at start.
  std::shared_ptr<const config::AwsConfig> aws_config_;
  absl::Status aws_config_status_;
  // The files as they were when last read (or tried), to notice changes.
  config::FileStamp config_stamp_;
  config::FileStamp credentials_stamp_;
  std::unordered_map<std::string, std::shared_ptr<const Session>> by_id_;
  // Least recently used inline session at the back.
  std::list<std::pair<std::string, std::shared_ptr<const Session>>> inline_lru_;
  std::unordered_map<std::string, decltype(inline_lru_)::iterator> inline_by_key_;
};

}  // namespace awsd::session
