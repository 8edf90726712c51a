// Calls operations through a running awsd, one per JSON line, for the
// end-to-end tests that compare awsd's answers with boto3's.
//
//   awsd_invoke_lines SOCKET < calls.jsonl
//
// Each input line is {"service": "s3", "operation": "PutObject", "params": {...}}
// (params in botocore's shapes: blobs as base64 strings), optionally with
// "timestamp_format": "wire" and "endpoint_url". The call uses the daemon's
// default session (its own environment). Each output line is one of
//   {"result": {...}}                                   the parsed result
//   {"error": {"code", "message", "http_status"}}       AWS answered an error
//   {"rpc_error": {"code", "message"}}                  the daemon refused the call
// and is flushed at once, so a caller can write a line and read its answer.
//
// A line {"paginate": {"service", "operation", "params", "max_items",
// "page_size", "starting_token"}} runs the Paginate RPC through the client
// library's lazy page range and answers {"pages": [...], "next_token": T}
// (the pages as boto3's paginator yields them; an error page as "error").
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "awsd/client.h"

namespace {

using nlohmann::json;

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return std::to_string(static_cast<int>(code));
  }
}

json RpcError(const std::string& code, const std::string& message) {
  return {{"rpc_error", {{"code", code}, {"message", message}}}};
}

json ServiceErrorJson(const awsd::v1::ServiceError& error) {
  return {{"error", {{"code", error.code()}, {"message", error.message()}, {"http_status", error.http_status()}}}};
}

json PaginateOne(const awsd::Client& client, const json& call) {
  awsd::v1::PaginateRequest request;
  request.set_service(call.value("service", ""));
  request.set_operation(call.value("operation", ""));
  request.set_params_json(call.contains("params") ? call["params"].dump() : "{}");
  request.set_max_items(call.value("max_items", 0));
  request.set_page_size(call.value("page_size", 0));
  request.set_starting_token(call.value("starting_token", ""));
  json answer = {{"pages", json::array()}};
  awsd::PageRange pages = client.Pages(awsd::Session::Default(), request);
  for (const awsd::v1::Page& page : pages) {
    if (page.has_error()) {
      answer.update(ServiceErrorJson(page.error()));
      break;
    }
    answer["pages"].push_back(json::parse(page.result_json(), nullptr, /*allow_exceptions=*/false));
    if (!page.next_token().empty()) answer["next_token"] = page.next_token();
  }
  if (!pages.status()) return RpcError(StatusCodeName(pages.status().error().code), pages.status().error().message);
  return answer;
}

json CallOne(const awsd::Client& client, const std::string& line) {
  json call = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (call.is_discarded() || !call.is_object()) return RpcError("BAD_INPUT_LINE", "not a JSON object: " + line);
  if (call.contains("paginate")) return PaginateOne(client, call["paginate"]);

  awsd::v1::InvokeRequest request;
  request.set_service(call.value("service", ""));
  request.set_operation(call.value("operation", ""));
  request.set_params_json(call.contains("params") ? call["params"].dump() : "{}");
  if (call.value("timestamp_format", "") == "wire") {
    request.set_timestamp_format(awsd::v1::TIMESTAMP_FORMAT_WIRE);
  }
  if (call.contains("endpoint_url")) request.mutable_options()->set_endpoint_url(call["endpoint_url"]);

  auto response = client.Invoke(awsd::Session::Default(), request);
  if (!response) {
    const awsd::Error& error = response.error();
    if (error.service_error) {
      return {{"error",
               {{"code", error.service_error->code()},
                {"message", error.service_error->message()},
                {"http_status", error.service_error->http_status()}}}};
    }
    return RpcError(StatusCodeName(error.code), error.message);
  }
  if (response->has_error()) {
    const auto& service_error = response->error();
    return {{"error",
             {{"code", service_error.code()},
              {"message", service_error.message()},
              {"http_status", service_error.http_status()}}}};
  }
  json result = json::parse(response->result_json(), nullptr, /*allow_exceptions=*/false);
  if (result.is_discarded()) return RpcError("BAD_RESULT_JSON", "result_json is not JSON: " + response->result_json());
  return {{"result", result}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: awsd_invoke_lines SOCKET < calls.jsonl\n";
    return 2;
  }
  awsd::Client client({.socket_path = argv[1]});
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::cout << CallOne(client, line).dump() << std::endl;
  }
  return 0;
}
