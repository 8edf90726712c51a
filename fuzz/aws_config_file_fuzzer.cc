// The AWS shared config / credentials file parser (daemon/config), in both
// dialects and for both file kinds, then the merge and the profile lookup
// every session does on what it returns.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/config/aws_config.h"
#include "daemon/config/profile_file_parser.h"

using awsd::config::Dialect;
using awsd::config::FileKind;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  const FileKind kind = input.ConsumeBool() ? FileKind::kCredentials : FileKind::kConfig;
  const Dialect dialect = input.ConsumeBool() ? Dialect::kSdkStandard : Dialect::kBotocore;
  const std::string text = input.ConsumeRemainingBytesAsString();

  auto parsed = awsd::config::ParseProfileFile(text, "fuzz", kind, dialect);
  if (!parsed.ok()) return 0;
  // The same text read as the other kind, folded in as the daemon folds
  // ~/.aws/credentials into ~/.aws/config.
  auto other = awsd::config::ParseProfileFile(
      text, "fuzz", kind == FileKind::kConfig ? FileKind::kCredentials : FileKind::kConfig, dialect);
  if (other.ok()) awsd::config::MergeCredentialsInto(*parsed, *other);
  for (const auto& [name, profile] : parsed->profiles) {
    (void)awsd::config::FindProfile(*parsed, name);
  }
  (void)awsd::config::FindProfile(*parsed, "default");
  return 0;
}
