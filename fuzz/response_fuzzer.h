#pragma once

// The shared body of the response-parsing fuzzers: arbitrary bytes as the
// HTTP response of one real operation of a real botocore model, parsed as the
// daemon parses it (Parse, then the client-JSON path).
//
// Input layout, so that seeds are readable HTTP-like text:
//   byte 0   which operation (modulo the list)
//   byte 1   the status (modulo kStatuses) and, in its high bits, how
//            timestamps are written back
//   then     "Name: value" header lines up to an empty line (optional: input
//            with no empty line is all body), then the body.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "daemon/protocols/protocol.h"
#include "fuzz/fuzz_models.h"

namespace awsd::fuzz {

struct OperationRef {
  const char* service;
  const char* operation;
};

inline http::HttpResponse ResponseFromText(std::string_view text, int status) {
  http::HttpResponse response;
  response.status = status;
  const size_t end = text.find("\n\n");
  if (end != std::string_view::npos) {
    std::string_view head = text.substr(0, end);
    text.remove_prefix(end + 2);
    while (!head.empty()) {
      const size_t eol = head.find('\n');
      std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 1);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
    }
  }
  response.body = std::string(text);
  return response;
}

inline int ParseResponse(std::span<const OperationRef> operations, const uint8_t* data, size_t size) {
  static constexpr int kStatuses[] = {200, 200, 400, 403, 404, 500, 503, 301, 206, 307};
  if (size < 2 || operations.empty()) return 0;
  const OperationRef& ref = operations[data[0] % operations.size()];
  const int status = kStatuses[data[1] % std::size(kStatuses)];
  protocols::ParseOptions options;
  options.timestamps = static_cast<protocols::TimestampOutput>((data[1] >> 4) % 3);
  const http::HttpResponse response =
      ResponseFromText(std::string_view(reinterpret_cast<const char*>(data) + 2, size - 2), status);

  const std::shared_ptr<const model::ServiceModel> service = RequireService(ref.service);
  auto operation = service->FindOperation(ref.operation);
  if (!operation.ok()) __builtin_trap();  // the list names real operations
  const protocols::Protocol& protocol = protocols::ProtocolFor(service->protocol());
  auto parsed = protocol.Parse(*service, **operation, response, options);
  if (parsed.ok()) (void)parsed->result.dump(-1, ' ', false, protocols::Value::error_handler_t::replace);
  auto reply = protocol.ParseToClientJson(*service, **operation, response, options, /*retry_attempts=*/0);
  // Both paths must agree on whether the body parsed (the client JSON path
  // skips building the tree for large bodies but not the checks).
  if (parsed.ok() != reply.ok()) {
    std::fprintf(stderr, "Parse and ParseToClientJson disagree: %s vs %s\n", parsed.status().ToString().c_str(),
                 reply.status().ToString().c_str());
    __builtin_trap();
  }
  return 0;
}

}  // namespace awsd::fuzz
