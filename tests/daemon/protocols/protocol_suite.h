#pragma once

// The protocol conformance suites (<conformance>/protocols/{input,output,
// legacy/...}/*.json), one GoogleTest case per suite case, each with the
// suite's own metadata and shapes loaded as a one-operation service model.

#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/model/service_model.h"
#include "daemon/protocols/value.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/conformance_suite.h"
#include "tests/support/test_paths.h"

namespace awsd::protocols::test {

struct ProtocolCase {
  std::string name;  // file stem + "_" + the case id (or description), sanitised and unique
  std::string file;  // relative to <conformance>/protocols, e.g. "input/rest-xml.json"
  Value suite;       // the suite without its cases: description, metadata, shapes, clientEndpoint
  Value data;        // the case: given, params/serialized or response/result/error
  // botocore 1.43.11 skips this case (protocol-tests-ignore-list.json).
  bool ignored_by_botocore = false;
};

inline std::string FileStem(const std::string& file) {
  std::string stem = file.substr(file.rfind('/') + 1);
  return stem.substr(0, stem.find('.'));
}

inline bool IgnoredByBotocore(const nlohmann::json& ignore, const std::string& file, const std::string& direction,
                              const Value& suite, const Value& test_case) {
  const std::string description = suite.value("description", "");
  const std::string id = test_case.value("id", "");
  auto listed = [&](const nlohmann::json& section) {
    if (!section.is_object() || !section.contains(direction)) return false;
    const nlohmann::json& part = section[direction];
    for (const char* key : {"suites", "cases"}) {
      if (!part.contains(key)) continue;
      for (const auto& name : part[key]) {
        if (name == (std::string(key) == "suites" ? description : id)) return true;
      }
    }
    return false;
  };
  if (ignore.contains("general") && listed(ignore["general"])) return true;
  const nlohmann::json& protocols = ignore.value("protocols", nlohmann::json::object());
  const std::string protocol = suite["metadata"].value("protocol", "");
  for (const std::string& key : {FileStem(file), protocol}) {
    if (protocols.contains(key) && listed(protocols[key])) return true;
  }
  return false;
}

// Every case of `files` (relative to <conformance>/protocols). A file that
// is missing or unreadable becomes one failing case, never zero cases.
inline std::vector<ProtocolCase> LoadProtocolCases(const std::vector<std::string>& files) {
  const std::string root = awsd::test_support::ConformanceDir() + "/protocols/";
  std::ifstream ignore_in(root + "protocol-tests-ignore-list.json");
  const nlohmann::json ignore = nlohmann::json::parse(ignore_in, nullptr, false);
  std::vector<ProtocolCase> cases;
  std::set<std::string> seen;
  for (const std::string& file : files) {
    std::ifstream in(root + file);
    Value suites = Value::parse(in, nullptr, false);
    if (!in || suites.is_discarded() || !suites.is_array() || ignore.is_discarded()) {
      cases.push_back(ProtocolCase{"missing_" + awsd::test_support::SanitiseCaseName(file), file, Value(),
                                   Value{{"missing", root + file}}});
      continue;
    }
    const std::string direction = file.find("input") != std::string::npos ? "input" : "output";
    for (Value& suite : suites) {
      Value test_cases = std::move(suite["cases"]);
      suite.erase("cases");
      for (Value& test_case : test_cases) {
        const std::string label =
            test_case.contains("id") ? test_case["id"].get<std::string>() : suite.value("description", "case");
        std::string name = awsd::test_support::SanitiseCaseName(FileStem(file) + "_" + label);
        std::string unique = name;
        for (int n = 2; seen.contains(unique); ++n) unique = name + "_" + std::to_string(n);
        seen.insert(unique);
        const bool ignored = IgnoredByBotocore(ignore, file, direction, suite, test_case);
        cases.push_back(ProtocolCase{unique, file, suite, std::move(test_case), ignored});
      }
    }
  }
  return cases;
}

// The suite's metadata and shapes with the case's operation, as botocore's
// runner builds its ServiceModel.
inline absl::StatusOr<std::shared_ptr<const model::ServiceModel>> CaseModel(const ProtocolCase& c) {
  const Value& given = c.data["given"];
  Value model;
  model["metadata"] = c.suite["metadata"];
  model["shapes"] = c.suite.value("shapes", Value::object());
  model["operations"][given.value("name", "OperationName")] = given;
  return model::ServiceModel::FromJson(model, "conformance");
}

inline std::string ProtocolCaseName(const testing::TestParamInfo<ProtocolCase>& info) { return info.param.name; }

// Failure messages name the case, not its bytes.
inline void PrintTo(const ProtocolCase& c, std::ostream* out) { *out << c.name; }

// ---- Results: equal as Python dicts after the runner's fixups -----------

// Python's ==: dicts regardless of order, ints equal to floats of the same
// value; and NaN equal to NaN, as the suites mean it.
inline bool SameResult(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() || b.is_number_float()) {
      const double x = a.get<double>(), y = b.get<double>();
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    if (a.is_number_unsigned() || b.is_number_unsigned()) {
      return a.is_number_unsigned() == b.is_number_unsigned()
                 ? a.get<std::uint64_t>() == b.get<std::uint64_t>()
                 : (a.get<std::int64_t>() >= 0 && b.get<std::int64_t>() >= 0 &&
                    a.get<std::uint64_t>() == b.get<std::uint64_t>());
    }
    return a.get<std::int64_t>() == b.get<std::int64_t>();
  }
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [key, value] : a.items()) {
      const auto it = b.find(key);
      if (it == b.end() || !SameResult(value, *it)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!SameResult(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

// _convert_bytes_to_str: the suites' blobs are all UTF-8.
inline Value BinariesToStrings(const Value& value) {
  if (value.is_binary()) return std::string(value.get_binary().begin(), value.get_binary().end());
  if (value.is_object() || value.is_array()) {
    Value out = value;
    for (auto it = out.begin(); it != out.end(); ++it) *it = BinariesToStrings(*it);
    return out;
  }
  return value;
}

// _fixup_parsed_result.
inline Value Fixup(Value parsed) {
  parsed.erase("ResponseMetadata");
  parsed = BinariesToStrings(parsed);
  if (parsed.contains("Error") && parsed["Error"].is_object()) {
    Value kept = Value::object();
    for (const char* key : {"Code", "Message"}) {
      if (parsed["Error"].contains(key)) kept[key] = parsed["Error"][key];
    }
    parsed["Error"] = std::move(kept);
  }
  // _convert_special_floats_to_string, on the top level only, as the runner does.
  for (auto& [key, value] : parsed.items()) {
    if (!value.is_number_float()) continue;
    const double number = value.get<double>();
    if (std::isnan(number)) value = "NaN";
    if (std::isinf(number)) value = number > 0 ? "Infinity" : "-Infinity";
  }
  return parsed;
}

// _convert_strings_to_special_float: the suites write NaN and the infinities
// as strings at the top level of the parameters.
inline Value SpecialFloatParams(Value params) {
  if (!params.is_object()) return params;
  for (auto& [key, value] : params.items()) {
    if (value == "NaN") value = std::nan("");
    if (value == "Infinity") value = HUGE_VAL;
    if (value == "-Infinity") value = -HUGE_VAL;
  }
  return params;
}

}  // namespace awsd::protocols::test
