#include "daemon/credentials/static_provider.h"

#include <utility>

namespace awsd::credentials {

StaticProvider::StaticProvider(Credentials credentials)
    : credentials_(std::make_shared<const Credentials>(std::move(credentials))) {}

absl::StatusOr<std::shared_ptr<const Credentials>> StaticProvider::Resolve() { return credentials_; }

}  // namespace awsd::credentials
