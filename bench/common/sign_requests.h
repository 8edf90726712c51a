#pragma once

#include <string>

#include "awsd/v1/signing.pb.h"

namespace awsd::bench {

// The request every RPC and handler benchmark signs: a small S3 GET with a
// Range header, as S3 signs it (no path normalisation, no double encoding,
// x-amz-content-sha256).
inline awsd::v1::SignRequest SmallS3Get(const std::string& session_id) {
  awsd::v1::SignRequest request;
  request.mutable_session()->set_session_id(session_id);
  request.mutable_request()->set_method("GET");
  request.mutable_request()->set_url("https://examplebucket.s3.amazonaws.com/photos/2024/cat.jpg?versionId=3");
  auto* header = request.mutable_request()->add_headers();
  header->set_name("Range");
  header->set_value("bytes=0-9");
  request.set_service("s3");
  request.set_region("us-east-1");
  request.set_content_sha256_header(true);
  request.set_disable_path_normalization(true);
  request.set_disable_double_encoding(true);
  return request;
}

}  // namespace awsd::bench
