#include "daemon/server/services/session_resolution.h"

namespace awsd::server {

session::SessionOptions ToSessionOptions(const awsd::v1::SessionSpec& spec) {
  session::SessionOptions options;
  options.profile = spec.profile();
  options.region = spec.region();
  options.endpoint_url = spec.endpoint_url();
  options.mfa_code = spec.mfa_code();
  if (spec.has_explicit_credentials()) {
    const auto& c = spec.explicit_credentials();
    credentials::Credentials creds;
    creds.access_key_id = c.access_key_id();
    creds.secret_access_key = Secret(c.secret_access_key());
    creds.session_token = Secret(c.session_token());
    options.explicit_credentials = std::move(creds);
  }
  return options;
}

absl::StatusOr<std::shared_ptr<const session::Session>> ResolveSession(session::SessionRegistry& sessions,
                                                                       const awsd::v1::SessionRef& ref) {
  switch (ref.kind_case()) {
    case awsd::v1::SessionRef::kSessionId:
      return sessions.Get(ref.session_id());
    case awsd::v1::SessionRef::kSpec:
      return sessions.ForOptions(ToSessionOptions(ref.spec()));
    case awsd::v1::SessionRef::KIND_NOT_SET:
      break;
  }
  return sessions.ForOptions({});
}

}  // namespace awsd::server
