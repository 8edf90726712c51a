#pragma once

#include "daemon/credentials/credentials_provider.h"

namespace awsd::credentials {

// Credentials handed over by the caller (boto3.Session(aws_access_key_id=…)):
// source "explicit".
class StaticProvider : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials credentials);
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  std::shared_ptr<const Credentials> credentials_;
};

}  // namespace awsd::credentials
