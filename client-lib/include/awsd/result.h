#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <grpcpp/support/status.h>

#include "awsd/v1/common.pb.h"

namespace awsd {

// The one error type of the client library.
struct Error {
  // The gRPC status code (see proto/awsd/v1/common.proto for what each means
  // in awsd). OK with a service_error: AWS answered with an error.
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  std::string message;
  // Set when AWS itself answered with an error (after the daemon's retries).
  std::optional<awsd::v1::ServiceError> service_error;
  // The daemon could not be reached at all (no socket, nobody listening).
  bool daemon_unreachable = false;

  // "An error occurred (Code) when calling the Op operation: Message" for
  // service errors, else the message with the status code's name.
  std::string ToString() const;
};

// A value or an Error (std::expected's shape, for C++20).
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Result of an operation with no value.
struct Done {};

}  // namespace awsd
