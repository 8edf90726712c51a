#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

namespace awsd::compat {

// What a compatibility endpoint asks before handing out credentials.
struct CompatAccess {
  // "container" or "imds".
  std::string endpoint;
  // The profile whose credentials would be handed out.
  std::string profile;
  // The uid owning the caller's TCP socket (/proc/net/tcp), when found.
  std::optional<uid_t> caller_uid;
};

struct CompatDecision {
  bool allowed = false;
  // Why, naming the rule; sent to a refused caller and logged, so never a secret.
  std::string reason;
};

// The one authorization hook of the compatibility endpoints: every request
// that would return credentials goes through it after its token was checked.
// The daemon wires it to its policy; thread-safe, called on the endpoints'
// threads.
using AuthorizeCompatAccess = std::function<CompatDecision(const CompatAccess&)>;

}  // namespace awsd::compat
