#include "daemon/waiters/acceptor.h"

#include "absl/strings/str_cat.h"
#include "daemon/encoding/python_repr.h"

namespace awsd::waiters {
namespace {

using Json = nlohmann::ordered_json;

// Python's ==: numbers compare by value whatever their type, and a bool is
// the number 0 or 1.
bool PyEquals(const Json& a, const Json& b) {
  auto numeric = [](const Json& v) { return v.is_number() || v.is_boolean(); };
  if (numeric(a) && numeric(b) && (a.is_boolean() || b.is_boolean())) {
    auto as_double = [](const Json& v) { return v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>(); };
    return as_double(a) == as_double(b);
  }
  return a == b;
}

const Json* Find(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

bool IsWaiterError(const WaiterResponse& response) {
  const Json* error = Find(response, "Error");
  return error != nullptr && error->is_object() && error->contains("Code");
}

absl::StatusOr<Acceptor> ParseAcceptor(const nlohmann::json& entry) {
  if (!entry.is_object()) return absl::InvalidArgumentError("an acceptor is not an object");
  Acceptor acceptor;
  const std::string state = entry.value("state", "");
  if (state == "success") {
    acceptor.state = WaiterState::kSuccess;
  } else if (state == "failure") {
    acceptor.state = WaiterState::kFailure;
  } else if (state == "retry") {
    acceptor.state = WaiterState::kRetry;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown acceptor state \"", state, "\""));
  }
  acceptor.matcher = entry.value("matcher", "");
  if (acceptor.matcher != "path" && acceptor.matcher != "pathAll" && acceptor.matcher != "pathAny" &&
      acceptor.matcher != "status" && acceptor.matcher != "error") {
    return absl::InvalidArgumentError(absl::StrCat("unknown acceptor matcher \"", acceptor.matcher, "\""));
  }
  acceptor.argument = entry.value("argument", "");
  if (acceptor.matcher.starts_with("path")) {
    auto compiled = jmespath::Compile(acceptor.argument);
    if (!compiled.ok()) return compiled.status();
    acceptor.expression = *std::move(compiled);
  }
  if (auto expected = entry.find("expected"); expected != entry.end()) {
    acceptor.expected = Json::parse(expected->dump());
  }
  return acceptor;
}

bool Matches(const Acceptor& acceptor, const WaiterResponse& response) {
  if (acceptor.matcher == "status") {
    const Json* metadata = Find(response, "ResponseMetadata");
    const Json* status = metadata != nullptr ? Find(*metadata, "HTTPStatusCode") : nullptr;
    return status != nullptr && PyEquals(*status, acceptor.expected);
  }
  if (acceptor.matcher == "error") {
    const Json* error = Find(response, "Error");
    if (acceptor.expected.is_boolean()) {
      if (acceptor.expected.get<bool>()) return error != nullptr && error->is_object() && error->contains("Code");
      return error == nullptr;
    }
    const Json* code = error != nullptr ? Find(*error, "Code") : nullptr;
    return PyEquals(code != nullptr ? *code : Json(""), acceptor.expected);
  }
  if (IsWaiterError(response) || !acceptor.expression.has_value()) return false;
  auto found = acceptor.expression->Search(response);
  if (!found.ok()) return false;
  if (acceptor.matcher == "path") return PyEquals(*found, acceptor.expected);
  if (!found->is_array() || found->empty()) return false;
  if (acceptor.matcher == "pathAll") {
    for (const Json& element : *found) {
      if (!PyEquals(element, acceptor.expected)) return false;
    }
    return true;
  }
  for (const Json& element : *found) {  // pathAny
    if (PyEquals(element, acceptor.expected)) return true;
  }
  return false;
}

std::string Explanation(const Acceptor& acceptor) {
  const std::string expected = encoding::PyStr(acceptor.expected);
  if (acceptor.matcher == "path") {
    return absl::StrCat("For expression \"", acceptor.argument, "\" we matched expected path: \"", expected, "\"");
  }
  if (acceptor.matcher == "pathAll") {
    // "excepted" is botocore's spelling.
    return absl::StrCat("For expression \"", acceptor.argument, "\" all members matched excepted path: \"", expected,
                        "\"");
  }
  if (acceptor.matcher == "pathAny") {
    return absl::StrCat("For expression \"", acceptor.argument, "\" we matched expected path: \"", expected,
                        "\" at least once");
  }
  if (acceptor.matcher == "status") return absl::StrCat("Matched expected HTTP status code: ", expected);
  if (acceptor.matcher == "error") return absl::StrCat("Matched expected service error code: ", expected);
  return absl::StrCat("No explanation for unknown waiter type: \"", acceptor.matcher, "\"");
}

}  // namespace awsd::waiters
