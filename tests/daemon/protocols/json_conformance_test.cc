// The json (1.0, 1.1) and rest-json protocol suites, run as botocore 1.43.11's
// tests/unit/test_protocols.py runs them, with the same fixups between what
// the serializer/parser produce and what the suites spell out (each noted
// where it is applied).

#include <cmath>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "daemon/protocols/json_body.h"
#include "daemon/protocols/json_protocol.h"
#include "daemon/protocols/rest_json_protocol.h"
#include "gtest/gtest.h"
#include "tests/daemon/protocols/protocol_suite.h"

namespace awsd::protocols::test {

namespace {

const std::vector<std::string>& Files() {
  static const std::vector<std::string> files = {
      "input/json.json",       "input/json_1_0.json",     "input/json_1_0-query-compatible.json",
      "input/rest-json.json",  "legacy/input/json.json",  "legacy/input/rest-json.json",
      "output/json.json",      "output/json_1_0.json",    "output/json_1_0-query-compatible.json",
      "output/rest-json.json", "legacy/output/json.json", "legacy/output/rest-json.json",
  };
  return files;
}

const Protocol& ProtocolOf(const model::ServiceModel& service) {
  static const JsonProtocol json;
  static const RestJsonProtocol rest_json;
  return service.protocol() == model::Protocol::kRestJson ? static_cast<const Protocol&>(rest_json) : json;
}

bool IsRestJson(const model::ServiceModel& service) { return service.protocol() == model::Protocol::kRestJson; }

std::string Show(const Value& v) { return json::Dumps(v); }

// A case-insensitive view of request headers (botocore's HeadersDict).
const std::string* FindHeader(const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

// "https://example.com/custom" → "example.com" (urlsplit().netloc).
std::string Netloc(const std::string& url) {
  std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

std::string RunInput(const ProtocolCase& c, const model::ServiceModel& service) {
  const Value& given = c.data["given"];
  absl::StatusOr<const model::Operation*> operation = service.FindOperation(given.value("name", "OperationName"));
  if (!operation.ok()) return std::string(operation.status().message());
  SerializeOptions options;
  // The suites' idempotency-token cases expect this fixed token.
  options.idempotency_token = [] { return std::string("00000000-0000-4000-8000-000000000000"); };
  const Value params = c.data.value("params", Value::object());
  absl::StatusOr<SerializedRequest> request = ProtocolOf(service).Serialize(service, **operation, params, options);
  if (!request.ok()) return absl::StrCat("Serialize failed: ", request.status().ToString());

  const Value& expected = c.data["serialized"];
  std::vector<std::string> problems;
  if (expected.contains("method") && expected["method"] != request->method) {
    problems.push_back(absl::StrCat("method ", request->method, " != ", expected["method"].get<std::string>()));
  }
  const std::string target = RequestTarget(*request);
  if (target != expected.value("uri", "")) {
    problems.push_back(absl::StrCat("uri ", target, " != ", expected.value("uri", "")));
  }
  if (expected.contains("body")) {
    // As _assert_json_bodies: JSON values when both sides parse, else bytes
    // (so an empty expected body matches an empty one).
    const std::string want = expected["body"].get<std::string>();
    absl::StatusOr<Value> actual_json = json::Loads(request->body);
    absl::StatusOr<Value> want_json = json::Loads(want);
    const bool same = actual_json.ok() && want_json.ok() ? SameResult(*actual_json, *want_json) : request->body == want;
    if (!same) problems.push_back(absl::StrCat("body ", request->body, " != ", want));
  }

  std::vector<std::pair<std::string, std::string>> actual_headers;
  for (const http::Header& h : request->headers) actual_headers.emplace_back(h.name, h.value);
  // Request preparation (AWSRequest.prepare), not the serializer, adds
  // Content-Length for a body: requireHeaders are checked against the
  // prepared request, forbidHeaders (as botocore's runner does) against the
  // serializer's output.
  std::vector<std::pair<std::string, std::string>> prepared_headers = actual_headers;
  if (!request->body.empty() && FindHeader(prepared_headers, "Content-Length") == nullptr) {
    prepared_headers.emplace_back("Content-Length", std::to_string(request->body.size()));
  }
  std::vector<std::pair<std::string, std::string>> expected_headers;
  if (expected.contains("headers")) {
    for (auto it = expected["headers"].begin(); it != expected["headers"].end(); ++it) {
      expected_headers.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
  // _clean_list_header_values: list headers compare without the space the
  // suites put after commas (botocore joins with ","), timestamps on both sides.
  if ((*operation)->input) {
    for (const model::Member& m : (*operation)->input->shape->members) {
      if (m.traits.location_name.empty() || m.traits.location != model::Location::kHeader ||
          m.shape->type != model::ShapeType::kList) {
        continue;
      }
      for (auto& [name, value] : expected_headers) {
        if (name == m.traits.location_name) value = absl::StrReplaceAll(value, {{", ", ","}});
      }
      if (m.shape->member.shape->type == model::ShapeType::kTimestamp) {
        for (auto& [name, value] : actual_headers) {
          if (name == m.traits.location_name) value = absl::StrReplaceAll(value, {{", ", ","}});
        }
      }
    }
  }
  for (const auto& [name, value] : expected_headers) {
    // The runner drops an expected rest-json Content-Type other than
    // application/json: botocore sets none for raw payloads.
    if (IsRestJson(service) && absl::EqualsIgnoreCase(name, "Content-Type") && value != "application/json") continue;
    const std::string* actual = FindHeader(actual_headers, name);
    if (actual == nullptr) {
      problems.push_back(absl::StrCat("header ", name, " missing (want \"", value, "\")"));
    } else if (*actual != value) {
      problems.push_back(absl::StrCat("header ", name, ": \"", *actual, "\" != \"", value, "\""));
    }
  }
  for (const Value& name : expected.value("forbidHeaders", Value::array())) {
    if (FindHeader(actual_headers, name.get<std::string>()) != nullptr) {
      problems.push_back(absl::StrCat("forbidden header ", name.get<std::string>(), " present"));
    }
  }
  for (const Value& name : expected.value("requireHeaders", Value::array())) {
    if (FindHeader(prepared_headers, name.get<std::string>()) == nullptr) {
      problems.push_back(absl::StrCat("required header ", name.get<std::string>(), " missing"));
    }
  }
  if (expected.contains("host")) {
    // _assert_endpoints_equal: the host prefix joined to clientEndpoint's netloc.
    const std::string host = request->host_prefix + Netloc(c.suite.value("clientEndpoint", "https://example.com"));
    if (host != expected["host"].get<std::string>()) {
      problems.push_back(absl::StrCat("host ", host, " != ", expected["host"].get<std::string>()));
    }
  }
  std::string report;
  for (const std::string& p : problems) absl::StrAppend(&report, report.empty() ? "" : "; ", p);
  if (!report.empty()) absl::StrAppend(&report, " [headers:", Show(Value(actual_headers)), "]");
  return report;
}

std::string RunOutput(const ProtocolCase& c, const model::ServiceModel& service) {
  const Value& given = c.data["given"];
  absl::StatusOr<const model::Operation*> operation = service.FindOperation(given.value("name", "OperationName"));
  if (!operation.ok()) return std::string(operation.status().message());
  const Value& wire = c.data["response"];
  http::HttpResponse response;
  response.status = wire.value("status_code", 200);
  const Value headers = wire.value("headers", Value::object());
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    response.headers.push_back(http::Header{it.key(), it.value().get<std::string>()});
  }
  response.body = wire.value("body", "");
  // The runner's MockRawResponse: an event stream's body is base64 in the suite.
  if ((*operation)->has_event_stream_output()) {
    std::string raw;
    if (!absl::Base64Unescape(response.body, &raw)) return "event-stream body is not base64";
    response.body = std::move(raw);
  }
  ParseOptions options;
  options.timestamps = TimestampOutput::kEpochSeconds;
  absl::StatusOr<ParsedResponse> parsed = ProtocolOf(service).Parse(service, **operation, response, options);
  if (!parsed.ok()) return absl::StrCat("Parse failed: ", parsed.status().ToString());

  const bool error_case = c.data.contains("error");
  Value expected;
  if (error_case) {
    expected =
        Value{{"Error", {{"Code", c.data.value("errorCode", "")}, {"Message", c.data.value("errorMessage", "")}}}};
    for (auto it = c.data["error"].begin(); it != c.data["error"].end(); ++it) expected[it.key()] = it.value();
  } else {
    expected = c.data["result"];
  }

  const Value actual = Fixup(parsed->result);
  std::string report;
  if (parsed->is_error != error_case) absl::StrAppend(&report, "is_error=", parsed->is_error, "; ");
  if (!SameResult(actual, expected)) absl::StrAppend(&report, "result ", Show(actual), " != ", Show(expected));
  return report;
}

class JsonConformanceTest : public testing::TestWithParam<ProtocolCase> {};

TEST_P(JsonConformanceTest, Case) {
  const ProtocolCase& c = GetParam();
  ASSERT_FALSE(c.data.contains("missing")) << "suite file missing: " << c.data["missing"];
  absl::StatusOr<std::shared_ptr<const model::ServiceModel>> service = CaseModel(c);
  ASSERT_TRUE(service.ok()) << service.status();
  // By folder, not by "params": a legacy input case may have no parameters.
  const bool input = absl::StartsWith(c.file, "input/") || absl::StartsWith(c.file, "legacy/input/");
  const std::string failure = input ? RunInput(c, **service) : RunOutput(c, **service);
  if (failure.empty()) return;
  if (c.ignored_by_botocore) GTEST_SKIP() << "botocore 1.43.11 skips this case too: " << failure;
  ADD_FAILURE() << c.suite.value("description", "") << ": " << failure;
}

INSTANTIATE_TEST_SUITE_P(Suites, JsonConformanceTest, testing::ValuesIn(LoadProtocolCases(Files())), ProtocolCaseName);

}  // namespace
}  // namespace awsd::protocols::test
