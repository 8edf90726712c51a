#include "daemon/invoke/s3_copy_source.h"

#include <regex>
#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/endpoints/url_parsing.h"

namespace awsd::invoke {
namespace {

// botocore.utils.SAFE_CHARS plus "/".
constexpr std::string_view kSafe = "-._~/";

// botocore.handlers.VALID_S3_ARN: an access point or an Outposts access point.
bool IsAccessPointArn(const std::string& bucket) {
  static const std::regex kArn(
      R"(^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$)"
      R"(|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:])"
      R"([a-zA-Z0-9\-]{1,63}$)");
  return std::regex_search(bucket, kArn);
}

std::string QuoteString(const std::string& value) {
  // botocore.handlers.VERSION_ID_SUFFIX: the version suffix stays as given.
  static const std::regex kVersionSuffix(R"(\?versionId=[^\s]+$)");
  std::smatch suffix;
  if (!std::regex_search(value, suffix, kVersionSuffix)) return endpoints::PercentEncode(value, kSafe);
  const auto start = static_cast<std::size_t>(suffix.position(0));
  return endpoints::PercentEncode(std::string_view(value).substr(0, start), kSafe) + value.substr(start);
}

absl::Status MissingMember(const std::string& name) {
  return absl::InvalidArgumentError(
      absl::StrCat("Parameter validation failed:\nMissing required parameter: '", name, "'"));
}

}  // namespace

absl::Status QuoteCopySource(std::string_view operation, protocols::Value& params) {
  if (operation != "CopyObject" && operation != "UploadPartCopy") return absl::OkStatus();
  auto source = params.find("CopySource");
  if (source == params.end()) return absl::OkStatus();
  if (source->is_string()) {
    *source = QuoteString(source->get<std::string>());
  } else if (source->is_object()) {
    auto bucket = source->find("Bucket");
    if (bucket == source->end() || !bucket->is_string()) return MissingMember("Bucket");
    auto key = source->find("Key");
    if (key == source->end() || !key->is_string()) return MissingMember("Key");
    const std::string bucket_name = bucket->get<std::string>();
    std::string quoted = endpoints::PercentEncode(
        absl::StrCat(bucket_name, IsAccessPointArn(bucket_name) ? "/object/" : "/", key->get<std::string>()), kSafe);
    if (auto version = source->find("VersionId"); version != source->end() && version->is_string()) {
      absl::StrAppend(&quoted, "?versionId=", version->get<std::string>());
    }
    *source = quoted;
  }
  return absl::OkStatus();
}

}  // namespace awsd::invoke
