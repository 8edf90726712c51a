// Reads JSON lines {"service", "operation", "params", "protocol"?} and
// writes, for each, what awsd makes of them: botocore's validation report
// and the serialised request. The differential test drives it beside
// botocore (serialize_differential.py). Blobs travel as {"__blob__": b64}.

#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "daemon/model/model_files.h"
#include "daemon/model/service_model.h"
#include "daemon/protocols/param_validator.h"
#include "daemon/protocols/protocol.h"

namespace {

using awsd::protocols::Value;

Value DecodeBlobs(const Value& v) {
  if (v.is_object()) {
    if (v.size() == 1 && v.contains("__blob__")) {
      std::string bytes;
      absl::Base64Unescape(v["__blob__"].get<std::string>(), &bytes);
      return Value::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    }
    Value out = Value::object();
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = DecodeBlobs(*it);
    return out;
  }
  if (v.is_array()) {
    Value out = Value::array();
    for (const Value& item : v) out.push_back(DecodeBlobs(item));
    return out;
  }
  return v;
}

class Models {
 public:
  Models() : files_(awsd::model::ModelSearchPath({}, awsd::config::ProcessEnvironment())) {}

  absl::StatusOr<std::shared_ptr<const awsd::model::ServiceModel>> Get(const std::string& service,
                                                                       const std::string& protocol) {
    const std::string key = service + "|" + protocol;
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    absl::StatusOr<awsd::model::ModelFiles::Document> document = files_.LoadServiceDocument(service, "service-2");
    if (!document.ok()) return document.status();
    // Another protocol the model lists: laid over its metadata like an
    // sdk-extras file would be.
    nlohmann::ordered_json merge = document->extras_merge;
    if (!protocol.empty()) {
      merge["metadata"]["protocol"] = protocol;
      merge["metadata"]["protocols"] = nlohmann::ordered_json::array({protocol});
    }
    auto model = awsd::model::ServiceModel::Parse(document->text, service, merge.is_null() ? nullptr : &merge);
    if (model.ok()) cache_[key] = *model;
    return model;
  }

 private:
  awsd::model::ModelFiles files_;
  std::map<std::string, std::shared_ptr<const awsd::model::ServiceModel>> cache_;
};

Value Handle(Models& models, const Value& line) {
  Value out = Value::object();
  auto service = models.Get(line.value("service", ""), line.value("protocol", ""));
  if (!service.ok()) return Value{{"error", std::string(service.status().message())}};
  auto operation = (*service)->FindOperation(line.value("operation", ""));
  if (!operation.ok()) return Value{{"error", std::string(operation.status().message())}};
  const Value params = DecodeBlobs(line.value("params", Value::object()));
  if ((*operation)->input) {
    out["validation"] = absl::StrJoin(awsd::protocols::ValidationProblems(params, *(*operation)->input), "\n");
  } else {
    out["validation"] = "";
  }
  const awsd::protocols::Protocol& protocol = awsd::protocols::ProtocolFor((*service)->protocol());
  absl::StatusOr<awsd::protocols::SerializedRequest> request =
      protocol.Serialize(**service, **operation, params, awsd::protocols::SerializeOptions{});
  if (!request.ok()) {
    out["error"] = std::string(request.status().message());
    return out;
  }
  out["method"] = request->method;
  out["target"] = awsd::protocols::RequestTarget(*request);
  Value headers = Value::object();
  for (const auto& header : request->headers) headers[header.name] = header.value;
  out["headers"] = headers;
  out["body_b64"] = absl::Base64Escape(request->body);
  out["host_prefix"] = request->host_prefix;
  return out;
}

}  // namespace

int main() {
  Models models;
  std::string text;
  while (std::getline(std::cin, text)) {
    const Value line = Value::parse(text, nullptr, /*allow_exceptions=*/false);
    Value out = line.is_discarded() ? Value{{"error", "bad input line"}} : Handle(models, line);
    std::cout << out.dump(-1, ' ', false, Value::error_handler_t::replace) << "\n" << std::flush;
  }
  return 0;
}
