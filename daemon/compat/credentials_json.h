#pragma once

#include <chrono>
#include <string>

#include "daemon/credentials/credentials.h"

namespace awsd::compat {

// Credentials without an expiration (static keys) are handed out as expiring
// this long from now, since both documents require one: SDKs then come back
// for them, and see a rotated key within the hour.
inline constexpr std::chrono::hours kStaticCredentialsLifetime{1};

// "2026-11-24T17:25:00Z", the form ECS, IMDS and botocore use.
std::string Iso8601(std::chrono::system_clock::time_point when);

// The ECS container-credentials document:
// {"AccessKeyId","SecretAccessKey","Token","Expiration"}.
// The returned text holds secrets: the caller wipes it (WipeString) after use.
std::string ContainerCredentialsJson(const credentials::Credentials& credentials,
                                     std::chrono::system_clock::time_point now);

// The IMDS security-credentials document:
// {"Code","LastUpdated","Type","AccessKeyId","SecretAccessKey","Token","Expiration"}.
std::string ImdsCredentialsJson(const credentials::Credentials& credentials, std::chrono::system_clock::time_point now);

}  // namespace awsd::compat
