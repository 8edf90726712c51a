#include "daemon/credentials/profile_keys_provider.h"

#include "absl/status/status.h"

namespace awsd::credentials {

ProfileKeysProvider::ProfileKeysProvider(std::optional<config::Profile> profile, std::string source, std::string file)
    : profile_(std::move(profile)), source_(std::move(source)), file_(std::move(file)) {}

absl::StatusOr<std::shared_ptr<const Credentials>> ProfileKeysProvider::Resolve() {
  if (!profile_) return std::shared_ptr<const Credentials>();
  auto value = [this](const char* key) -> const std::string* {
    auto it = profile_->find(key);
    return it == profile_->end() ? nullptr : &it->second.text;
  };
  const std::string* key_id = value("aws_access_key_id");
  if (key_id == nullptr) return std::shared_ptr<const Credentials>();
  const std::string* secret = value("aws_secret_access_key");
  if (secret == nullptr) {
    return absl::FailedPreconditionError(source_ + ": " + file_ +
                                         ": aws_access_key_id is set but aws_secret_access_key is not");
  }
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = *key_id;
  credentials->secret_access_key = Secret(*secret);
  // botocore looks at aws_security_token before aws_session_token.
  const std::string* token = value("aws_security_token");
  if (token == nullptr) token = value("aws_session_token");
  if (token != nullptr) credentials->session_token = Secret(*token);
  if (const std::string* account = value("aws_account_id")) credentials->account_id = *account;
  credentials->source = source_;
  std::shared_ptr<const Credentials> result = std::move(credentials);
  return result;
}

}  // namespace awsd::credentials
