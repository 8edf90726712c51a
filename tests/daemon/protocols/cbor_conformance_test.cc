// The smithy-rpc-v2-cbor protocol conformance suites, checked the way
// botocore's tests/unit/test_protocols.py checks them: request bodies compared
// as the values botocore's CBOR parser decodes them to, results after its
// _fixup_parsed_result. Cases botocore 1.43.11 ignores still run; when one
// fails it is skipped with the reason.

#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/encoding/cbor_decoder.h"
#include "daemon/encoding/cbor_item.h"
#include "daemon/protocols/cbor_body.h"
#include "daemon/protocols/rpc_v2_cbor_protocol.h"
#include "gtest/gtest.h"
#include "tests/daemon/protocols/protocol_suite.h"

namespace awsd::protocols::test {

namespace {

using encoding::CborItem;
using encoding::CborType;

std::string Base64Decode(const std::string& text) {
  std::string bytes;
  if (!absl::Base64Unescape(text, &bytes)) return "<invalid base64>";
  return bytes;
}

// ---- Request bodies: equal as botocore's parser reads them --------------

bool IsNone(const CborItem& item) { return item.IsNull() || item.IsUndefined(); }

bool IsNumber(const CborItem& item) { return item.IsInteger() || item.IsFloat(); }

long double NumberValue(const CborItem& item) {
  if (item.IsUnsigned()) return static_cast<long double>(item.unsigned_value());
  if (item.IsNegative()) return -1.0L - static_cast<long double>(item.argument());
  return item.float_value();
}

bool SameDecodedValue(const CborItem& a, const CborItem& b);

// A Python dict: keys with no non-None value are absent, a repeated key
// holds its last value.
std::vector<std::pair<const CborItem*, const CborItem*>> DictEntries(const CborItem& map) {
  std::vector<std::pair<const CborItem*, const CborItem*>> entries;
  for (const auto& [key, value] : map.map()) {
    if (IsNone(value)) continue;
    bool replaced = false;
    for (auto& entry : entries) {
      if (SameDecodedValue(*entry.first, key)) {
        entry.second = &value;
        replaced = true;
      }
    }
    if (!replaced) entries.emplace_back(&key, &value);
  }
  return entries;
}

// Python's ==, on what botocore's decoder returns: float widths vanish, an
// int equals the float of its value, null and undefined are both None, and
// (as the runner's special-float conversion arranges) NaN equals NaN.
bool SameDecodedValue(const CborItem& a, const CborItem& b) {
  if (IsNone(a) || IsNone(b)) return IsNone(a) && IsNone(b);
  if (IsNumber(a) && IsNumber(b)) {
    if (a.IsFloat() && b.IsFloat() && std::isnan(a.float_value()) && std::isnan(b.float_value())) return true;
    return NumberValue(a) == NumberValue(b);
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case CborType::kTag:
      return a.tag() == b.tag() && SameDecodedValue(a.tagged(), b.tagged());
    case CborType::kArray: {
      if (a.array().size() != b.array().size()) return false;
      for (std::size_t i = 0; i < a.array().size(); ++i) {
        if (!SameDecodedValue(a.array()[i], b.array()[i])) return false;
      }
      return true;
    }
    case CborType::kMap: {
      const auto left = DictEntries(a);
      const auto right = DictEntries(b);
      if (left.size() != right.size()) return false;
      for (const auto& [key, value] : left) {
        bool found = false;
        for (const auto& [other_key, other_value] : right) {
          if (SameDecodedValue(*key, *other_key)) found = SameDecodedValue(*value, *other_value);
        }
        if (!found) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

std::string DescribeCbor(const std::string& bytes) {
  std::string out = absl::BytesToHexString(bytes);
  absl::StatusOr<CborItem> item = encoding::DecodeCbor(bytes);
  if (!item.ok()) return absl::StrCat(out, " (", item.status().ToString(), ")");
  absl::StatusOr<Value> value = cbor::UntypedCborToValue(*item, TimestampOutput::kEpochSeconds);
  return absl::StrCat(out, " = ", value.ok() ? value->dump() : value.status().ToString());
}

// ---- The cases --------------------------------------------------------

class CborConformanceTest : public testing::TestWithParam<ProtocolCase> {
 protected:
  void Fail(std::string problem) { problems_.push_back(std::move(problem)); }

  void RunInput(const model::ServiceModel& service, const model::Operation& operation, const Value& data) {
    const Value params = SpecialFloatParams(data.value("params", Value::object()));
    absl::StatusOr<SerializedRequest> serialized = RpcV2CborProtocol().Serialize(service, operation, params, {});
    if (!serialized.ok()) return Fail(absl::StrCat("Serialize: ", serialized.status().ToString()));
    SerializedRequest request = *std::move(serialized);
    // botocore's request preparation (AWSRequest.prepare) adds Content-Length
    // for a non-empty body; the serializer itself leaves it out.
    if (!request.body.empty()) request.SetHeader("Content-Length", std::to_string(request.body.size()));

    const Value& expected = data["serialized"];
    if (expected.contains("method") && request.method != expected["method"].get<std::string>()) {
      Fail(absl::StrCat("method ", request.method, " != ", expected["method"].dump()));
    }
    if (RequestTarget(request) != expected.value("uri", "")) {
      Fail(absl::StrCat("uri ", RequestTarget(request), " != ", expected.value("uri", "")));
    }
    const Value headers = expected.value("headers", Value::object());
    for (const auto& [name, value] : headers.items()) {
      const std::string* actual = request.FindHeader(name);
      if (actual == nullptr) {
        Fail(absl::StrCat("header ", name, " missing"));
      } else if (*actual != value.get<std::string>()) {
        Fail(absl::StrCat("header ", name, ": ", *actual, " != ", value.dump()));
      }
    }
    const Value forbidden = expected.value("forbidHeaders", Value::array());
    for (const Value& name : forbidden) {
      if (request.FindHeader(name.get<std::string>()) != nullptr) Fail(absl::StrCat("forbidden header ", name.dump()));
    }
    const Value required = expected.value("requireHeaders", Value::array());
    for (const Value& name : required) {
      if (request.FindHeader(name.get<std::string>()) == nullptr) Fail(absl::StrCat("required header ", name.dump()));
    }
    CompareBodies(request.body, expected);
  }

  void CompareBodies(const std::string& actual, const Value& expected) {
    if (actual.empty()) {
      // The runner compares bytes here: an expected body must be empty too.
      if (expected.contains("body") && !expected["body"].get<std::string>().empty()) {
        Fail(absl::StrCat("body is empty, expected ", DescribeCbor(Base64Decode(expected["body"]))));
      }
      return;
    }
    const std::string wanted = Base64Decode(expected.value("body", ""));
    absl::StatusOr<CborItem> actual_item = encoding::DecodeCbor(actual);
    absl::StatusOr<CborItem> wanted_item = encoding::DecodeCbor(wanted);
    if (!actual_item.ok() || !wanted_item.ok() || !SameDecodedValue(*actual_item, *wanted_item)) {
      Fail(absl::StrCat("body\n  actual   ", DescribeCbor(actual), "\n  expected ", DescribeCbor(wanted)));
    }
  }

  void RunOutput(const model::ServiceModel& service, const model::Operation& operation, const Value& data) {
    const Value& wire = data["response"];
    http::HttpResponse response;
    response.status = wire.value("status_code", 200);
    const Value headers = wire.value("headers", Value::object());
    for (const auto& [name, value] : headers.items()) {
      response.headers.push_back(http::Header{name, value.get<std::string>()});
    }
    response.body = Base64Decode(wire.value("body", ""));

    ParseOptions options;
    options.timestamps = TimestampOutput::kEpochSeconds;
    absl::StatusOr<ParsedResponse> parsed = RpcV2CborProtocol().Parse(service, operation, response, options);
    if (!parsed.ok()) return Fail(absl::StrCat("Parse: ", parsed.status().ToString()));

    Value expected;
    const bool error_case = data.contains("error");
    if (error_case) {
      expected = Value{{"Error", {{"Code", data.value("errorCode", "")}, {"Message", data.value("errorMessage", "")}}}};
      for (const auto& [key, value] : data["error"].items()) expected[key] = value;
      if (!parsed->is_error) Fail("not parsed as an error");
      if (parsed->error_code != data.value("errorCode", "")) {
        Fail(absl::StrCat("error_code ", parsed->error_code, " != ", data.value("errorCode", "")));
      }
    } else {
      expected = data["result"];
      if (parsed->is_error) Fail("parsed as an error");
    }
    if (!parsed->result.contains("ResponseMetadata")) Fail("no ResponseMetadata");
    const Value actual = Fixup(parsed->result);
    if (!SameResult(actual, expected)) {
      Fail(absl::StrCat("result\n  actual   ", actual.dump(), "\n  expected ", expected.dump()));
    }
  }

  std::vector<std::string> problems_;
};

TEST_P(CborConformanceTest, Case) {
  const ProtocolCase& c = GetParam();
  if (c.data.contains("missing")) FAIL() << "suite file missing or unreadable: " << c.data["missing"];

  absl::StatusOr<std::shared_ptr<const model::ServiceModel>> service = CaseModel(c);
  ASSERT_TRUE(service.ok()) << service.status();
  const std::string name = c.data["given"].value("name", "OperationName");
  absl::StatusOr<const model::Operation*> operation = (*service)->FindOperation(name);
  ASSERT_TRUE(operation.ok()) << operation.status();

  if (c.data.contains("params")) {
    RunInput(**service, **operation, c.data);
  } else {
    RunOutput(**service, **operation, c.data);
  }
  if (problems_.empty()) return;
  if (c.ignored_by_botocore) {
    GTEST_SKIP() << "botocore 1.43.11 skips this case too: " << absl::StrJoin(problems_, "; ");
  }
  for (const std::string& problem : problems_) ADD_FAILURE() << problem;
}

INSTANTIATE_TEST_SUITE_P(RpcV2Cbor, CborConformanceTest,
                         testing::ValuesIn(LoadProtocolCases({
                             "input/smithy-rpc-v2-cbor.json",
                             "input/smithy-rpc-v2-cbor-query-compatible.json",
                             "input/smithy-rpc-v2-cbor-non-query-compatible.json",
                             "output/smithy-rpc-v2-cbor.json",
                             "output/smithy-rpc-v2-cbor-query-compatible.json",
                             "output/smithy-rpc-v2-cbor-non-query-compatible.json",
                         })),
                         ProtocolCaseName);

}  // namespace
}  // namespace awsd::protocols::test
