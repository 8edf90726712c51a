// Signs requests read as JSON lines on stdin and writes one JSON line per
// request on stdout, for botocore_differential.py. Input fields: id, method,
// url, headers ([[name, value], ...]), body_hex, access_key, secret, token,
// expiration (epoch seconds, optional), service, region, time (epoch
// seconds), algorithm ("v4"/"v4a"), location ("headers"/"query"), expires,
// payload ("signed"/"unsigned"/"streaming"), content_sha256_header,
// normalize_path, double_encode_path. Output: id, ok, error, canonical_request,
// string_to_sign, signature, url, headers, warnings.

#include <chrono>
#include <iostream>
#include <string>

#include "daemon/signing/crypto.h"
#include "daemon/signing/signer.h"
#include "nlohmann/json.hpp"

namespace {

using awsd::signing::Algorithm;
using awsd::signing::PayloadSigning;
using awsd::signing::SignatureLocation;

nlohmann::json SignOne(awsd::signing::Signer& signer, const nlohmann::json& in) {
  nlohmann::json out;
  out["id"] = in.at("id");
  awsd::http::HttpRequest request;
  request.method = in.at("method").get<std::string>();
  request.url = in.at("url").get<std::string>();
  for (const auto& header : in.at("headers")) {
    request.headers.push_back({header.at(0).get<std::string>(), header.at(1).get<std::string>()});
  }
  if (!awsd::signing::HexDecode(in.value("body_hex", ""), &request.body)) {
    out["ok"] = false;
    out["error"] = "bad body_hex";
    return out;
  }
  awsd::credentials::Credentials credentials;
  credentials.access_key_id = in.at("access_key").get<std::string>();
  credentials.secret_access_key = awsd::Secret(in.at("secret").get<std::string>());
  credentials.session_token = awsd::Secret(in.value("token", ""));
  if (in.contains("expiration")) {
    credentials.expiration =
        std::chrono::system_clock::time_point(std::chrono::seconds(in.at("expiration").get<int64_t>()));
  }
  awsd::signing::SigningParams params;
  params.algorithm = in.value("algorithm", "v4") == "v4a" ? Algorithm::kSigV4a : Algorithm::kSigV4;
  params.service = in.at("service").get<std::string>();
  params.region = in.at("region").get<std::string>();
  params.time = std::chrono::system_clock::time_point(std::chrono::seconds(in.at("time").get<int64_t>()));
  params.location =
      in.value("location", "headers") == "query" ? SignatureLocation::kQueryString : SignatureLocation::kHeaders;
  params.expires_seconds = in.value("expires", int64_t{3600});
  const std::string payload = in.value("payload", "signed");
  params.payload = payload == "unsigned"    ? PayloadSigning::kUnsigned
                   : payload == "streaming" ? PayloadSigning::kStreaming
                                            : PayloadSigning::kSigned;
  params.content_sha256_header = in.value("content_sha256_header", false);
  params.normalize_path = in.value("normalize_path", true);
  params.double_encode_path = in.value("double_encode_path", true);

  absl::StatusOr<awsd::signing::SigningResult> result = signer.Sign(request, credentials, params);
  if (!result.ok()) {
    out["ok"] = false;
    out["error"] = std::string(result.status().ToString());
    return out;
  }
  out["ok"] = true;
  out["canonical_request"] = result->canonical_request;
  out["string_to_sign"] = result->string_to_sign;
  out["signature"] = result->signature;
  out["url"] = result->request.url;
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& header : result->request.headers) headers.push_back({header.name, header.value});
  out["headers"] = headers;
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& warning : result->warnings) warnings.push_back({warning.code, warning.message});
  out["warnings"] = warnings;
  return out;
}

}  // namespace

int main() {
  awsd::signing::Signer signer;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    nlohmann::json out;
    try {
      out = SignOne(signer, nlohmann::json::parse(line));
    } catch (const std::exception& e) {
      out = {{"ok", false}, {"error", std::string("bad input line: ") + e.what()}};
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return 0;
}
