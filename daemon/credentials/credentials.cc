#include "daemon/credentials/credentials.h"

namespace awsd::credentials {

std::string MaskAccessKeyId(std::string_view access_key_id) {
  if (access_key_id.size() <= 8) return std::string(access_key_id.size(), '*');
  std::string masked(access_key_id);
  for (std::size_t i = 4; i + 4 < masked.size(); ++i) masked[i] = '*';
  return masked;
}

}  // namespace awsd::credentials
