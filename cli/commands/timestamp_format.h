#pragma once

#include <string>

#include "google/protobuf/timestamp.pb.h"

namespace awsd::cli {

// "2015-08-30T12:36:00Z": the ISO 8601 form the AWS CLI prints.
std::string FormatIso8601(const google::protobuf::Timestamp& timestamp);

}  // namespace awsd::cli
