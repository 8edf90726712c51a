#pragma once

// An Error the resources layer makes itself (a bad name, a missing
// identifier), as opposed to one the daemon or AWS answered.

#include <string>

#include "awsd/result.h"

namespace awsd::resources {

inline Error Failure(grpc::StatusCode code, std::string message) {
  Error error;
  error.code = code;
  error.message = std::move(message);
  return error;
}

}  // namespace awsd::resources
