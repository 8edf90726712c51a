#include "daemon/protocols/result_json.h"

#include "daemon/protocols/result_writer.h"

namespace awsd::protocols {

std::string ClientResultJson(Value result, int retry_attempts) {
  if (result.is_object()) result["ResponseMetadata"]["RetryAttempts"] = retry_attempts;
  JsonTextWriter writer;
  writer.Write(result);
  return writer.Take();
}

}  // namespace awsd::protocols
