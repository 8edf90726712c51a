#include "daemon/session/session_registry.h"

#include <openssl/rand.h>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "daemon/config/settings.h"
#include "daemon/credentials/default_chain.h"
#include "daemon/credentials/role_chain.h"
#include "daemon/credentials/static_provider.h"
#include "daemon/http/curl_http_client.h"
#include "spdlog/spdlog.h"

namespace awsd::session {
namespace {

// Ids are unguessable so that one local client cannot use another's session
// by counting.
absl::StatusOr<std::string> NewSessionId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return absl::UnavailableError("no randomness for a session id");
  return "s-" + absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(bytes), sizeof(bytes)));
}

// Inline sessions are keyed by what they are made of. The secret enters the
// key only through a SHA-256 digest, so the cache's keys hold no secret.
std::string CacheKey(const SessionOptions& options) {
  std::string key = absl::StrCat(options.profile.size(), ":", options.profile, "|", options.region.size(), ":",
                                 options.region, "|", options.endpoint_url.size(), ":", options.endpoint_url, "|");
  if (options.explicit_credentials) {
    const auto& c = *options.explicit_credentials;
    absl::StrAppend(&key, c.access_key_id, "|",
                    credentials::IdentityDigest({c.secret_access_key.view(), c.session_token.view()}));
  }
  return key;
}

}  // namespace

void SessionRegistry::OfferMfaCode(const config::ProfileSet& profiles, const std::string& profile,
                                   const std::string& code) const {
  auto plan = credentials::PlanRoleChain(profiles, profile);
  if (!plan.ok() || !*plan) return;
  for (const auto& link : (*plan)->roles) {
    if (link.mfa_serial) mfa_codes_->Offer(*link.mfa_serial, code);
  }
}

SessionRegistry::SessionRegistry(credentials::EnvironmentLookup environment, std::size_t max_inline_sessions,
                                 Outside outside)
    : environment_(std::move(environment)), max_inline_sessions_(max_inline_sessions) {
  context_.environment = environment_;
  context_.files = outside.files ? std::move(outside.files) : LocalFileSystem();
  context_.http = outside.http ? std::move(outside.http) : http::MakeCurlHttpClient();
  if (outside.clock) context_.clock = std::move(outside.clock);
  aws_config_status_ = ReloadAwsConfig();
}

absl::Status SessionRegistry::ReloadAwsConfig() {
  const auto files = config::ResolveFileLocations(environment_);
  // Stamped before reading: a change made during the read is seen next time.
  const auto config_stamp = config::StampOf(files.config_file);
  const auto credentials_stamp = config::StampOf(files.credentials_file);
  auto loaded = config::LoadAwsConfig(files);
  std::lock_guard lock(mutex_);
  config_stamp_ = config_stamp;
  credentials_stamp_ = credentials_stamp;
  if (!loaded.ok()) return loaded.status();
  aws_config_ = std::make_shared<const config::AwsConfig>(*std::move(loaded));
  aws_config_status_ = absl::OkStatus();
  inline_lru_.clear();
  inline_by_key_.clear();
  return absl::OkStatus();
}

absl::StatusOr<bool> SessionRegistry::ReloadAwsConfigIfChanged() {
  const auto files = config::ResolveFileLocations(environment_);
  // Stat outside the lock: calls need not wait for the disk.
  const auto config_stamp = config::StampOf(files.config_file);
  const auto credentials_stamp = config::StampOf(files.credentials_file);
  {
    std::lock_guard lock(mutex_);
    if (config_stamp == config_stamp_ && credentials_stamp == credentials_stamp_) return false;
  }
  if (auto status = ReloadAwsConfig(); !status.ok()) return status;
  return true;
}

absl::Status SessionRegistry::aws_config_status() const {
  std::lock_guard lock(mutex_);
  return aws_config_status_;
}

std::shared_ptr<const config::AwsConfig> SessionRegistry::CurrentAwsConfig(absl::Status* status) const {
  std::lock_guard lock(mutex_);
  *status = aws_config_status_;
  return aws_config_;
}

std::vector<std::string> SessionRegistry::AvailableProfiles() const {
  absl::Status status;
  auto files = CurrentAwsConfig(&status);
  std::vector<std::string> names;
  if (files == nullptr) return names;
  for (const auto& [name, profile] : files->merged.profiles) names.push_back(name);
  return names;
}

absl::StatusOr<std::shared_ptr<const Session>> SessionRegistry::Build(std::string id,
                                                                      const SessionOptions& options) const {
  absl::Status files_status;
  auto files = CurrentAwsConfig(&files_status);
  // Explicit keys with no profile named need nothing from the files, so
  // they keep working while the files are broken.
  const bool needs_files = !options.explicit_credentials || !options.profile.empty();
  if (!files_status.ok() && needs_files) {
    return absl::FailedPreconditionError(std::string("AWS config files: ") + std::string(files_status.message()));
  }
  static const config::AwsConfig kNoFiles;
  const config::AwsConfig& aws = files ? *files : kNoFiles;

  // A profile named by the caller is "explicit": as in botocore, it turns
  // the environment's keys off. One named only by AWS_PROFILE is not.
  const bool explicit_profile = !options.profile.empty();
  std::string profile = explicit_profile ? options.profile : config::ResolveProfileName(environment_);
  const config::Profile* merged = config::FindProfile(aws.merged, profile);
  if (merged == nullptr && config::ProfileIsNamed(explicit_profile, environment_)) {
    return absl::FailedPreconditionError("The config profile (" + profile + ") could not be found");
  }

  std::string region = options.region;
  if (region.empty()) region = config::Resolve("region", merged, environment_).value_or("");

  std::shared_ptr<credentials::CredentialsProvider> provider;
  if (options.explicit_credentials) {
    const auto& c = *options.explicit_credentials;
    if (c.access_key_id.empty()) return absl::InvalidArgumentError("explicit_credentials.access_key_id: empty");
    if (c.secret_access_key.empty()) return absl::InvalidArgumentError("explicit_credentials.secret_access_key: empty");
    credentials::Credentials copy = c;
    copy.source = "explicit";
    provider = std::make_shared<credentials::StaticProvider>(std::move(copy));
  } else {
    if (!options.mfa_code.empty()) OfferMfaCode(aws.merged, profile, options.mfa_code);
    credentials::ChainOptions chain;
    chain.aws = &aws;
    chain.profile_name = profile;
    chain.explicit_profile = explicit_profile;
    chain.region = region;
    chain.context = context_;
    chain.signer = signer_;
    chain.mfa = mfa_codes_->Source();
    chain.cache = &providers_;
    chain.warn = [](const std::string& line) { spdlog::warn("credentials: {}", line); };
    provider = credentials::BuildDefaultChain(chain);
  }
  return std::make_shared<const Session>(std::move(id), std::move(profile), std::move(region), options.endpoint_url,
                                         std::move(provider), files, environment_);
}

absl::StatusOr<std::shared_ptr<const Session>> SessionRegistry::Create(const SessionOptions& options) {
  auto id = NewSessionId();
  if (!id.ok()) return id.status();
  auto session = Build(*std::move(id), options);
  if (!session.ok()) return session;
  std::lock_guard lock(mutex_);
  by_id_[(*session)->id()] = *session;
  return session;
}

absl::StatusOr<std::shared_ptr<const Session>> SessionRegistry::Get(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return absl::NotFoundError(absl::StrCat("session.session_id: no open session '", id, "'"));
  return it->second;
}

void SessionRegistry::Close(const std::string& id) {
  std::lock_guard lock(mutex_);
  by_id_.erase(id);
}

absl::StatusOr<std::shared_ptr<const Session>> SessionRegistry::ForOptions(const SessionOptions& options) {
  std::string key = CacheKey(options);
  {
    std::lock_guard lock(mutex_);
    if (auto it = inline_by_key_.find(key); it != inline_by_key_.end()) {
      inline_lru_.splice(inline_lru_.begin(), inline_lru_, it->second);
      return it->second->second;
    }
  }
  auto session = Build("", options);
  if (!session.ok()) return session;
  std::lock_guard lock(mutex_);
  if (auto it = inline_by_key_.find(key); it != inline_by_key_.end()) return it->second->second;
  inline_lru_.emplace_front(key, *session);
  inline_by_key_[key] = inline_lru_.begin();
  if (inline_lru_.size() > max_inline_sessions_) {
    inline_by_key_.erase(inline_lru_.back().first);
    inline_lru_.pop_back();
  }
  return session;
}

std::size_t SessionRegistry::open_sessions() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

}  // namespace awsd::session
