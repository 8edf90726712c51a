// The aws-c-auth SigV4 / SigV4a signing test suite, read in place from
// $AWSD_CONFORMANCE_DIR/sigv4/{v4,v4a}/<case>/. One test per case and
// signature location, named after the case.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/signing/crypto.h"
#include "daemon/signing/signer.h"
#include "daemon/signing/sigv4a_key_derivation.h"
#include "daemon/signing/sigv4a_signer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"

namespace awsd::signing {
namespace {

namespace fs = std::filesystem;

fs::path SigV4SuiteDir() { return fs::path(awsd::test_support::ConformanceDir()) / "sigv4"; }

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

struct Case {
  std::string suite;  // "v4" or "v4a"
  std::string name;
  fs::path dir() const { return SigV4SuiteDir() / suite / name; }
};

// Shown by gtest and ctest next to each test name.
void PrintTo(const Case& c, std::ostream* os) { *os << c.suite << "/" << c.name; }

std::vector<Case> ListCases(const std::string& suite) {
  std::vector<Case> cases;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(SigV4SuiteDir() / suite, error)) {
    if (entry.is_directory()) cases.push_back({suite, entry.path().filename().string()});
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

std::string TestName(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// request.txt: an HTTP/1.1 request. The target may contain raw spaces (the
// version is after the last space); a header line starting with whitespace
// continues the previous one (obs-fold, unfolded to a space).
http::HttpRequest ParseRequest(const std::string& text) {
  http::HttpRequest request;
  size_t pos = text.find('\n');
  const std::string request_line = text.substr(0, pos);
  const size_t first_space = request_line.find(' ');
  const size_t last_space = request_line.rfind(' ');
  request.method = request_line.substr(0, first_space);
  const std::string target = request_line.substr(first_space + 1, last_space - first_space - 1);
  std::string host;
  while (pos != std::string::npos && pos + 1 <= text.size()) {
    const size_t start = pos + 1;
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    pos = end;
    if (line.empty()) {
      if (end != std::string::npos) request.body = text.substr(end + 1);
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().value += " " + line;
      continue;
    }
    const size_t colon = line.find(':');
    request.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
    if (http::EqualsIgnoreCase(request.headers.back().name, "host")) host = request.headers.back().value;
  }
  request.url = "https://" + host + target;
  return request;
}

std::chrono::system_clock::time_point ParseTimestamp(const std::string& iso) {
  // "2015-08-30T12:36:00Z"
  using namespace std::chrono;
  const int year = std::stoi(iso.substr(0, 4));
  const unsigned month = static_cast<unsigned>(std::stoi(iso.substr(5, 2)));
  const unsigned day = static_cast<unsigned>(std::stoi(iso.substr(8, 2)));
  const sys_days date = std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day);
  return date + hours(std::stoi(iso.substr(11, 2))) + minutes(std::stoi(iso.substr(14, 2))) +
         seconds(std::stoi(iso.substr(17, 2)));
}

struct Context {
  credentials::Credentials credentials;
  SigningParams params;
  bool omit_session_token = false;
};

Context LoadContext(const Case& c, Algorithm algorithm) {
  const nlohmann::json json = nlohmann::json::parse(*ReadFile(c.dir() / "context.json"));
  Context context;
  const auto& creds = json.at("credentials");
  context.credentials.access_key_id = creds.at("access_key_id").get<std::string>();
  context.credentials.secret_access_key = Secret(creds.at("secret_access_key").get<std::string>());
  if (creds.contains("token")) context.credentials.session_token = Secret(creds.at("token").get<std::string>());
  context.omit_session_token = json.value("omit_session_token", false);
  context.params.algorithm = algorithm;
  context.params.region = json.at("region").get<std::string>();
  context.params.service = json.at("service").get<std::string>();
  context.params.time = ParseTimestamp(json.at("timestamp").get<std::string>());
  context.params.expires_seconds = json.value("expiration_in_seconds", 3600);
  context.params.normalize_path = json.value("normalize", true);
  context.params.content_sha256_header = json.value("sign_body", false);
  return context;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::multimap<std::string, std::string> SplitQuery(const std::string& url_or_target) {
  std::multimap<std::string, std::string> params;
  const size_t question = url_or_target.find('?');
  if (question == std::string::npos) return params;
  std::string query = url_or_target.substr(question + 1);
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      params.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    }
    start = end + 1;
  }
  return params;
}

std::string TargetOfSignedRequest(const std::string& signed_request) {
  const std::string line = signed_request.substr(0, signed_request.find('\n'));
  return line.substr(line.find(' ') + 1, line.rfind(' ') - line.find(' ') - 1);
}

std::string AuthorizationOfSignedRequest(const std::string& signed_request) {
  std::istringstream lines(signed_request);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("Authorization:", 0) == 0) return line.substr(14);
  }
  return {};
}

std::string HeaderValue(const http::HttpRequest& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (http::EqualsIgnoreCase(header.name, name)) return header.value;
  }
  return {};
}

std::string PublicPointFromJson(const fs::path& path) {
  const nlohmann::json json = nlohmann::json::parse(*ReadFile(path));
  std::string point("\x04", 1), x, y;
  EXPECT_TRUE(HexDecode(json.at("X").get<std::string>(), &x));
  EXPECT_TRUE(HexDecode(json.at("Y").get<std::string>(), &y));
  return point + x + y;
}

// Signs one case in one location and checks it against the case's files.
void CheckCase(const Case& c, Algorithm algorithm, SignatureLocation location) {
  const std::string prefix = location == SignatureLocation::kHeaders ? "header-" : "query-";
  const fs::path dir = c.dir();
  Context context = LoadContext(c, algorithm);
  context.params.location = location;
  if (context.omit_session_token) {
    // aws-c-auth's omit_session_token: the token is added after signing and
    // is not signed. Signing without it gives the same canonical request,
    // string to sign and signature.
    context.credentials.session_token = Secret();
  }
  const std::optional<std::string> request_text = ReadFile(dir / "request.txt");
  ASSERT_TRUE(request_text.has_value()) << dir;
  const http::HttpRequest request = ParseRequest(*request_text);

  Signer signer;
  absl::StatusOr<SigningResult> result = signer.Sign(request, context.credentials, context.params);
  ASSERT_TRUE(result.ok()) << result.status();

  const std::optional<std::string> expected_canonical = ReadFile(dir / (prefix + "canonical-request.txt"));
  const std::optional<std::string> expected_sts = ReadFile(dir / (prefix + "string-to-sign.txt"));
  const std::optional<std::string> expected_signature = ReadFile(dir / (prefix + "signature.txt"));
  const std::optional<std::string> signed_request = ReadFile(dir / (prefix + "signed-request.txt"));

  if (!expected_canonical.has_value()) {
    // Two SigV4a cases ship only request.txt and context.json. Their point is
    // the order of repeated query keys; check that line against the spec
    // (sort by key, then value), the rest against get-vanilla, and the
    // signature against get-vanilla's key (same credentials).
    ASSERT_EQ(algorithm, Algorithm::kSigV4a) << "only two v4a cases lack expected files";
    const Case vanilla{c.suite, "get-vanilla"};
    const Context vanilla_context = LoadContext(vanilla, algorithm);
    ASSERT_EQ(vanilla_context.credentials.access_key_id, context.credentials.access_key_id);
    ASSERT_TRUE(vanilla_context.credentials.secret_access_key == context.credentials.secret_access_key);
    std::string expected =
        Trimmed(*ReadFile(vanilla.dir() / (prefix + "canonical-request.txt")));
    const std::map<std::string, std::string> sorted_queries = {
        {"get-vanilla-query-order-key", "Param1=Value1&Param1=value2"},
        {"get-vanilla-query-order-value", "Param1=value1&Param1=value2"},
    };
    ASSERT_TRUE(sorted_queries.count(c.name)) << c.name;
    const size_t line3 = expected.find('\n', expected.find('\n') + 1) + 1;
    const size_t line3_end = expected.find('\n', line3);
    const std::string vanilla_query = expected.substr(line3, line3_end - line3);
    std::string query = sorted_queries.at(c.name);
    if (!vanilla_query.empty()) query = query + "&" + vanilla_query;  // presign params sort after "Param1"
    expected.replace(line3, line3_end - line3, query);
    EXPECT_EQ(result->canonical_request, expected);
    absl::StatusOr<EcKey> public_key =
        EcPublicKeyFromPoint(PublicPointFromJson(vanilla.dir() / "public-key.json"));
    ASSERT_TRUE(public_key.ok());
    EXPECT_TRUE(VerifySigV4aSignature(*public_key, result->string_to_sign, result->signature));
    return;
  }

  EXPECT_EQ(result->canonical_request, Trimmed(*expected_canonical)) << "canonical request";
  ASSERT_TRUE(expected_sts.has_value());
  EXPECT_EQ(result->string_to_sign, Trimmed(*expected_sts)) << "string to sign";
  ASSERT_TRUE(expected_signature.has_value());

  if (algorithm == Algorithm::kSigV4) {
    EXPECT_EQ(result->signature, Trimmed(*expected_signature)) << "signature";
  } else {
    // ECDSA is randomised: the signature must verify under the case's public
    // key, which also proves the key derivation. The suite's own signature
    // must verify too (a check on the verifier).
    const std::string point = PublicPointFromJson(dir / "public-key.json");
    absl::StatusOr<EcKey> public_key = EcPublicKeyFromPoint(point);
    ASSERT_TRUE(public_key.ok()) << public_key.status();
    EXPECT_TRUE(VerifySigV4aSignature(*public_key, result->string_to_sign, result->signature)) << "our signature";
    EXPECT_TRUE(VerifySigV4aSignature(*public_key, Trimmed(*expected_sts), Trimmed(*expected_signature)))
        << "the suite's signature";
    absl::StatusOr<EcKey> derived =
        DeriveSigV4aKey(context.credentials.access_key_id, context.credentials.secret_access_key);
    ASSERT_TRUE(derived.ok());
    EXPECT_EQ(derived->PublicPoint(), point) << "derived public key";
  }

  // The signed request: where the signature went.
  if (signed_request.has_value() && !context.omit_session_token) {
    if (location == SignatureLocation::kHeaders) {
      const std::string expected_auth = AuthorizationOfSignedRequest(*signed_request);
      const std::string auth = HeaderValue(result->request, "Authorization");
      if (algorithm == Algorithm::kSigV4) {
        EXPECT_EQ(auth, expected_auth);
      } else {
        EXPECT_EQ(auth.substr(0, auth.find("Signature=")), expected_auth.substr(0, expected_auth.find("Signature=")));
      }
    } else {
      auto expected_query = SplitQuery(TargetOfSignedRequest(*signed_request));
      auto query = SplitQuery(result->request.url);
      if (algorithm == Algorithm::kSigV4a) {
        expected_query.erase("X-Amz-Signature");
        query.erase("X-Amz-Signature");
      }
      EXPECT_EQ(query, expected_query);
    }
  }
}

class SigV4Conformance : public testing::TestWithParam<Case> {};
class SigV4aConformance : public testing::TestWithParam<Case> {};

TEST_P(SigV4Conformance, Header) { CheckCase(GetParam(), Algorithm::kSigV4, SignatureLocation::kHeaders); }
TEST_P(SigV4Conformance, Query) { CheckCase(GetParam(), Algorithm::kSigV4, SignatureLocation::kQueryString); }
TEST_P(SigV4aConformance, Header) { CheckCase(GetParam(), Algorithm::kSigV4a, SignatureLocation::kHeaders); }
TEST_P(SigV4aConformance, Query) { CheckCase(GetParam(), Algorithm::kSigV4a, SignatureLocation::kQueryString); }

INSTANTIATE_TEST_SUITE_P(V4, SigV4Conformance, testing::ValuesIn(ListCases("v4")), TestName);
INSTANTIATE_TEST_SUITE_P(V4a, SigV4aConformance, testing::ValuesIn(ListCases("v4a")), TestName);

// Fails loudly when the suite is missing, instead of passing with no cases.
TEST(SigningConformanceSuite, IsPresentAndComplete) {
  EXPECT_EQ(ListCases("v4").size(), 38u) << SigV4SuiteDir();
  EXPECT_EQ(ListCases("v4a").size(), 40u) << SigV4SuiteDir();
}

}  // namespace
}  // namespace awsd::signing
