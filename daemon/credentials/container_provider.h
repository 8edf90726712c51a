#pragma once

#include <chrono>
#include <memory>

#include "daemon/credentials/credentials_provider.h"
#include "daemon/credentials/provider_context.h"

namespace awsd::credentials {

// Credentials from the container's credential endpoint: the ECS task role or
// EKS Pod Identity (botocore's ContainerProvider and ContainerMetadataFetcher,
// source "container-role").
//
// - Offers nothing (nullptr) unless AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
//   AWS_CONTAINER_CREDENTIALS_FULL_URI is set (even to ""); the relative one
//   wins and is fetched from http://169.254.170.2<uri>.
// - A full URI must be https (any host), or name a loopback address,
//   localhost, 169.254.170.2 (ECS), 169.254.170.23 or fd00:ec2::23 (EKS Pod
//   Identity); anything else is an error.
// - The Authorization header comes from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
//   read on every fetch so a rotated token is used (EKS rotates it), else from
//   AWS_CONTAINER_AUTHORIZATION_TOKEN. A token holding CR or LF is refused, as
//   botocore does, which includes a token file ending in a newline.
// - Each fetch makes up to 3 tries, 2 s timeouts, 1 s apart (context.sleep);
//   a non-200 answer or one that is not JSON is retried too.
// - The answer must carry AccessKeyId, SecretAccessKey, Token and Expiration;
//   AccountId is kept when present.
//
// Thread-safe (nothing is kept between calls). No message carries the token,
// a secret or a body.
class ContainerProvider : public CredentialsProvider {
 public:
  // botocore's fixed values; tests shorten them.
  struct Options {
    std::chrono::milliseconds timeout{2000};
    int attempts = 3;
    std::chrono::milliseconds pause{1000};
  };

  explicit ContainerProvider(ProviderContext context) : ContainerProvider(std::move(context), Options()) {}
  ContainerProvider(ProviderContext context, Options options);
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override;

 private:
  const ProviderContext context_;
  const Options options_;
};

}  // namespace awsd::credentials
