#include "daemon/signing/chunk_signer.h"

#include "daemon/signing/crypto.h"

namespace awsd::signing {

bool AppendChunkStringToSign(std::string_view algorithm, std::string_view amz_date, std::string_view scope,
                             std::string_view previous_signature, std::string_view chunk, std::string* out) {
  out->reserve(out->size() + algorithm.size() + amz_date.size() + scope.size() + previous_signature.size() + 150);
  out->append(algorithm).append("-PAYLOAD\n");
  out->append(amz_date).push_back('\n');
  out->append(scope).push_back('\n');
  out->append(previous_signature).push_back('\n');
  out->append(kEmptySha256Hex).push_back('\n');
  return AppendSha256Hex(chunk, out);
}

}  // namespace awsd::signing
