#include "daemon/sts/sts_response.h"

#include <openssl/crypto.h>

#include <pugixml.hpp>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace awsd::sts {
namespace {

// The element's name without a namespace prefix: STS writes none, but the
// names are what matter and a prefix would not change them.
std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && LocalName(child) == name) return child;
  }
  return {};
}

// Wipes the buffer even on the error paths.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& buffer) : buffer_(buffer) {}
  ~WipeOnExit() {
    if (!buffer_.empty()) OPENSSL_cleanse(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  std::string& buffer_;
};

absl::Status Malformed(std::string_view action, std::string_view what) {
  return absl::InternalError("STS " + std::string(action) + " answered HTTP 200 with " + std::string(what));
}

}  // namespace

std::optional<StsError> ParseStsError(std::string_view body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return std::nullopt;
  // botocore's QueryParser takes <Error> under any root, or under <Errors>
  // (moto and EC2 write <Response><Errors><Error>).
  const pugi::xml_node root = doc.document_element();
  pugi::xml_node error = Child(root, "Error");
  if (!error) error = Child(Child(root, "Errors"), "Error");
  if (!error) return std::nullopt;
  StsError parsed;
  parsed.code = Child(error, "Code").child_value();
  parsed.message = Child(error, "Message").child_value();
  parsed.request_id = Child(root, "RequestId").child_value();
  if (parsed.request_id.empty()) parsed.request_id = Child(root, "RequestID").child_value();
  if (parsed.code.empty()) return std::nullopt;
  return parsed;
}

std::string AccountIdFromArn(std::string_view arn) {
  if (arn.substr(0, 4) != "arn:") return "";
  // arn:partition:service:region:account:resource, the resource may hold ':'.
  size_t start = 0;
  for (int field = 0; field < 4; ++field) {
    start = arn.find(':', start);
    if (start == std::string_view::npos) return "";
    ++start;
  }
  const size_t end = arn.find(':', start);
  if (end == std::string_view::npos) return "";
  return std::string(arn.substr(start, end - start));
}

absl::StatusOr<credentials::Credentials> ParseCredentialsResult(std::string& body, std::string_view action) {
  WipeOnExit wipe(body);
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer_inplace(body.data(), body.size());
  if (!parsed) {
    return Malformed(action, "a body that is not XML (" + std::string(parsed.description()) + " at byte " +
                                 std::to_string(parsed.offset) + ")");
  }
  const std::string response_name = std::string(action) + "Response";
  const std::string result_name = std::string(action) + "Result";
  const pugi::xml_node root = doc.document_element();
  if (LocalName(root) != response_name) return Malformed(action, "XML that is not an " + response_name);
  const pugi::xml_node result = Child(root, result_name);
  if (!result) return Malformed(action, "no " + result_name + " element");
  const pugi::xml_node creds = Child(result, "Credentials");
  if (!creds) return Malformed(action, "no Credentials element");

  credentials::Credentials out;
  const auto required = [&](std::string_view name) -> absl::StatusOr<std::string_view> {
    const pugi::xml_node node = Child(creds, name);
    std::string_view value = node.child_value();
    if (!node || value.empty()) return Malformed(action, "no Credentials/" + std::string(name));
    return value;
  };
  absl::StatusOr<std::string_view> key_id = required("AccessKeyId");
  if (!key_id.ok()) return key_id.status();
  absl::StatusOr<std::string_view> secret = required("SecretAccessKey");
  if (!secret.ok()) return secret.status();
  absl::StatusOr<std::string_view> token = required("SessionToken");
  if (!token.ok()) return token.status();
  absl::StatusOr<std::string_view> expiration = required("Expiration");
  if (!expiration.ok()) return expiration.status();

  absl::Time expiry;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, absl::string_view(expiration->data(), expiration->size()), &expiry,
                       &error)) {
    return Malformed(action, "a Credentials/Expiration that is not an ISO 8601 time");
  }
  out.access_key_id = std::string(*key_id);
  out.secret_access_key = Secret(*secret);
  out.session_token = Secret(*token);
  out.expiration = absl::ToChronoTime(expiry);
  out.account_id = AccountIdFromArn(Child(Child(result, "AssumedRoleUser"), "Arn").child_value());
  return out;
}

}  // namespace awsd::sts
