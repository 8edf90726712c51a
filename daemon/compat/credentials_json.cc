#include "daemon/compat/credentials_json.h"

#include <ctime>

#include "daemon/credentials/wipe_json.h"
#include "nlohmann/json.hpp"

namespace awsd::compat {
namespace {

std::chrono::system_clock::time_point ExpirationOf(const credentials::Credentials& credentials,
                                                   std::chrono::system_clock::time_point now) {
  return credentials.expiration.value_or(now + kStaticCredentialsLifetime);
}

// Straight from the Secret's bytes into the document: no temporary string
// copy is left unwiped in freed memory.
void AddSecrets(const credentials::Credentials& credentials, nlohmann::ordered_json& document) {
  document["SecretAccessKey"] = credentials.secret_access_key.view();
  document["Token"] = credentials.session_token.view();
}

// Dumps and then wipes the document, so only the returned text holds the secrets.
std::string DumpAndWipe(nlohmann::ordered_json& document) {
  std::string text = document.dump();
  credentials::WipeJson(document);
  return text;
}

}  // namespace

std::string Iso8601(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string ContainerCredentialsJson(const credentials::Credentials& credentials,
                                     std::chrono::system_clock::time_point now) {
  nlohmann::ordered_json document = {
      {"AccessKeyId", credentials.access_key_id},
  };
  AddSecrets(credentials, document);
  document["Expiration"] = Iso8601(ExpirationOf(credentials, now));
  if (!credentials.account_id.empty()) document["AccountId"] = credentials.account_id;
  return DumpAndWipe(document);
}

std::string ImdsCredentialsJson(const credentials::Credentials& credentials,
                                std::chrono::system_clock::time_point now) {
  nlohmann::ordered_json document = {
      {"Code", "Success"},
      {"LastUpdated", Iso8601(now)},
      {"Type", "AWS-HMAC"},
      {"AccessKeyId", credentials.access_key_id},
  };
  AddSecrets(credentials, document);
  document["Expiration"] = Iso8601(ExpirationOf(credentials, now));
  return DumpAndWipe(document);
}

}  // namespace awsd::compat
