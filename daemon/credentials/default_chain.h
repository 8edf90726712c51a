#pragma once

#include <functional>
#include <memory>
#include <string>

#include "daemon/config/aws_config.h"
#include "daemon/credentials/assume_role_provider.h"
#include "daemon/credentials/credentials_provider.h"
#include "daemon/credentials/provider_cache.h"
#include "daemon/credentials/provider_context.h"
#include "daemon/signing/signer.h"

namespace awsd::credentials {

// Everything botocore's create_credential_resolver reads.
struct ChainOptions {
  // The AWS config and credentials files as loaded.
  const config::AwsConfig* aws = nullptr;
  std::string profile_name = "default";
  // A profile named by the caller (not by AWS_PROFILE) turns off the
  // environment's keys and web identity variables, as in botocore.
  bool explicit_profile = false;
  // The session's region: where STS is called.
  std::string region;
  ProviderContext context;
  std::shared_ptr<signing::Signer> signer;
  // Answers an assume-role profile's mfa_serial.
  MfaTokenSource mfa;
  // Shares refreshing providers between sessions; may be null.
  ProviderCache* cache = nullptr;
  // Told (without secrets) when credentials are extended past expiry.
  std::function<void(const std::string&)> warn;
};

// botocore's default chain, in its order: environment, assume-role,
// web identity, SSO, shared credentials file, credential_process, config
// file, container, IMDS. Sources that fetch (STS, SSO, processes, container,
// IMDS) sit behind a CachedProvider, shared through `cache` by every session
// resolving to the same identity. A configuration error (a broken role
// chain, an incomplete SSO profile) is returned by Resolve() at its place in
// the chain, as botocore raises it there.
std::shared_ptr<CredentialsProvider> BuildDefaultChain(const ChainOptions& options);

}  // namespace awsd::credentials
