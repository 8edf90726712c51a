#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace awsd::cli {
namespace {

struct SignArguments {
  std::string method, url, body, body_file, service, region, time, algorithm = "sigv4";
  std::vector<std::string> headers;
  bool presign = false, unsigned_payload = false, no_normalize_path = false, content_sha256_header = false;
  int64_t expires = 0;
};

// S3's signing names sign the path as it is, encoded once (botocore's
// S3SigV4Auth), whatever the flags say.
bool IsS3SigningName(const std::string& service) {
  return service == "s3" || service == "s3-outposts" || service == "s3-object-lambda" || service == "s3express";
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "awsctl: sign: %s\n", message.c_str());
  return kExitUsage;
}

}  // namespace

int RunSignCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args) {
  SignArguments a;
  CLI::App app{"Sign an HTTP request with the session's credentials; prints the signed request, canonical "
               "request, string to sign and signature as JSON",
               "awsctl sign"};
  app.add_option("--method", a.method, "HTTP method")->required();
  app.add_option("--url", a.url, "Absolute URL")->required();
  app.add_option("--header", a.headers, "'Name: value' (repeatable)");
  auto* body = app.add_option("--body", a.body, "Body text");
  app.add_option("--body-file", a.body_file, "Read the body from PATH")->excludes(body);
  app.add_option("--service", a.service, "Signing name of the service")->required();
  app.add_option("--region", a.region, "Region (SigV4a: region set); default: the session's region");
  app.add_option("--time", a.time, "Signing time, ISO 8601 (2015-08-30T12:36:00Z)");
  auto* presign = app.add_flag("--presign", a.presign, "Sign into the query string");
  app.add_option("--expires", a.expires, "X-Amz-Expires of a presigned URL, 1..604800")->needs(presign);
  app.add_flag("--unsigned-payload", a.unsigned_payload, "Sign UNSIGNED-PAYLOAD instead of the body's hash");
  app.add_option("--algorithm", a.algorithm, "sigv4|sigv4a")->check(CLI::IsMember({"sigv4", "sigv4a"}));
  app.add_flag("--no-normalize-path", a.no_normalize_path, "Sign the path as is");
  app.add_flag("--content-sha256-header", a.content_sha256_header, "Add x-amz-content-sha256 (S3)");
  try {
    // CLI11 takes a vector of arguments last-first.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitSuccess : kExitUsage;
  }

  awsd::v1::SignRequest request;
  auto* http = request.mutable_request();
  http->set_method(absl::AsciiStrToUpper(a.method));
  http->set_url(a.url);
  for (const auto& header : a.headers) {
    auto colon = header.find(':');
    if (colon == std::string::npos || colon == 0) return UsageError("--header: expected 'Name: value', got '" + header + "'");
    auto* h = http->add_headers();
    h->set_name(std::string(absl::StripAsciiWhitespace(header.substr(0, colon))));
    h->set_value(std::string(absl::StripLeadingAsciiWhitespace(header.substr(colon + 1))));
  }
  if (!a.body_file.empty()) {
    std::ifstream in(a.body_file, std::ios::binary);
    if (!in) return UsageError("--body-file: cannot read " + a.body_file);
    std::ostringstream content;
    content << in.rdbuf();
    http->set_body(content.str());
  } else {
    http->set_body(a.body);
  }
  request.set_service(a.service);
  request.set_region(a.region.empty() ? options.region : a.region);
  if (!a.time.empty()) {
    absl::Time t;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, a.time, &t, &error)) return UsageError("--time: " + error);
    request.mutable_signing_time()->set_seconds(absl::ToUnixSeconds(t));
  }
  request.set_presign(a.presign);
  request.set_expires_seconds(a.expires);
  request.set_algorithm(a.algorithm == "sigv4a" ? awsd::v1::SIGNING_ALGORITHM_SIGV4A : awsd::v1::SIGNING_ALGORITHM_SIGV4);
  if (a.unsigned_payload) request.set_payload_signing(awsd::v1::PAYLOAD_SIGNING_UNSIGNED);
  request.set_content_sha256_header(a.content_sha256_header);
  bool s3 = IsS3SigningName(a.service);
  request.set_disable_path_normalization(a.no_normalize_path || s3);
  request.set_disable_double_encoding(s3);
  request.set_include_signing_steps(true);

  auto signed_request = client.Sign(options.MakeSession(), request);
  if (!signed_request) return ReportError(signed_request.error());
  nlohmann::ordered_json headers = nlohmann::ordered_json::object();
  for (const auto& header : signed_request->request().headers()) {
    auto& slot = headers[header.name()];
    // A repeated header prints once, its values joined as HTTP joins them.
    slot = slot.is_null() ? header.value() : slot.get<std::string>() + "," + header.value();
  }
  nlohmann::ordered_json out = {
      {"method", signed_request->request().method()},
      {"url", signed_request->request().url()},
      {"headers", headers},
      {"canonical_request", signed_request->canonical_request()},
      {"string_to_sign", signed_request->string_to_sign()},
      {"signature", signed_request->signature()},
  };
  if (signed_request->warnings_size() > 0) {
    auto& warnings = out["warnings"] = nlohmann::ordered_json::array();
    for (const auto& w : signed_request->warnings()) warnings.push_back({{"code", w.code()}, {"message", w.message()}});
    for (const auto& w : signed_request->warnings()) std::fprintf(stderr, "awsctl: warning: %s\n", w.message().c_str());
  }
  PrintResult(out, "json");
  return kExitSuccess;
}

}  // namespace awsd::cli
