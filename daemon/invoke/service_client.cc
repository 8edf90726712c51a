#include "daemon/invoke/service_client.h"

#include <charconv>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "daemon/config/settings.h"

namespace awsd::invoke {
namespace {

// botocore's request_checksum_calculation / response_checksum_validation:
// "when_supported" (default) or "when_required"; anything else is refused
// when the client is made.
absl::StatusOr<bool> WhenSupported(std::string_view setting, const std::optional<std::string>& value) {
  if (!value.has_value()) return true;
  const std::string lowered = absl::AsciiStrToLower(*value);
  if (lowered == "when_supported") return true;
  if (lowered == "when_required") return false;
  return absl::InvalidArgumentError(absl::StrCat("Invalid value '", *value, "' for ", std::string(setting),
                                                 ". Valid values are: when_supported, when_required."));
}

absl::StatusOr<protocols::FinishingSettings> ResolveFinishing(const config::Profile* profile,
                                                              const config::EnvLookup& env) {
  protocols::FinishingSettings settings;
  auto request =
      WhenSupported("request_checksum_calculation", config::Resolve("request_checksum_calculation", profile, env));
  if (!request.ok()) return request.status();
  auto response =
      WhenSupported("response_checksum_validation", config::Resolve("response_checksum_validation", profile, env));
  if (!response.ok()) return response.status();
  settings.request_checksum_when_supported = *request;
  settings.response_checksum_when_supported = *response;
  settings.disable_request_compression =
      config::ResolveBoolean("disable_request_compression", profile, env).value_or(false);
  if (auto size = config::Resolve("request_min_compression_size_bytes", profile, env)) {
    std::size_t value = 0;
    auto [end, error] = std::from_chars(size->data(), size->data() + size->size(), value);
    if (error != std::errc() || end != size->data() + size->size() || value > 10485760) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid value '", *size,
                       "' for request_min_compression_size_bytes. Value must be an integer between 0 and 10485760."));
    }
    settings.request_min_compression_size_bytes = value;
  }
  return settings;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const ServiceClient>> ServiceClient::Create(const ClientSpec& spec,
                                                                           ClientFactoryParts& parts) {
  std::shared_ptr<ServiceClient> client(new ServiceClient());
  client->session_ = spec.session;
  const session::Session& session = *spec.session;
  const config::Profile* profile = session.profile_settings();
  const config::EnvLookup& env = session.environment();

  auto model = parts.models.Service(spec.service);
  if (!model.ok()) return model.status();
  client->model_ = *model;
  client->protocol_ = &protocols::ProtocolFor((*model)->protocol());

  const std::string& name = (*model)->service_name();
  auto resolver = parts.endpoints.ForService(name);
  if (!resolver.ok()) return resolver.status();
  client->resolver_ = *resolver;
  auto legacy = parts.endpoints.legacy_endpoints();
  if (!legacy.ok()) return legacy.status();

  endpoints::ClientEndpointOptions options;
  options.service = name;
  options.endpoint_prefix = (*model)->metadata().endpoint_prefix;
  options.signing_name = (*model)->metadata().signing_name;
  const std::string& region = spec.region.empty() ? session.region() : spec.region;
  if (!region.empty()) options.region = region;
  const std::string& endpoint_url = spec.endpoint_url.empty() ? session.endpoint_url() : spec.endpoint_url;
  if (!endpoint_url.empty()) options.endpoint_url = endpoint_url;
  auto endpoint_config = endpoints::ComputeEndpointConfig(
      options, profile, session.files() ? &session.files()->merged : nullptr, env, legacy->get());
  if (!endpoint_config.ok()) return endpoint_config.status();
  client->endpoint_config_ = *std::move(endpoint_config);
  std::vector<std::string> declared;
  for (auto it = (*model)->client_context_params().begin(); it != (*model)->client_context_params().end(); ++it) {
    declared.push_back(it.key());
  }
  client->client_context_params_ = endpoints::ClientContextParams(declared, client->endpoint_config_.client_context);

  auto retry_config = retries::ResolveRetryConfig(profile, env);
  if (!retry_config.ok()) return retry_config.status();
  client->retry_config_ = *retry_config;
  // _retry.json keys services by endpoint prefix.
  client->retry_state_ = parts.retries.For((*model)->metadata().endpoint_prefix, client->endpoint_config_.region);

  auto finishing = ResolveFinishing(profile, env);
  if (!finishing.ok()) return finishing.status();
  client->finishing_ = *finishing;
  client->finishing_.signature_version = (*model)->metadata().signature_version;

  client->exchange_options_.connect_timeout = parts.connect_timeout;
  client->exchange_options_.read_timeout = parts.read_timeout;
  client->exchange_options_.total_timeout = parts.total_timeout;
  if (auto bundle = config::Resolve("ca_bundle", profile, env)) client->exchange_options_.ca_bundle = *bundle;
  return std::shared_ptr<const ServiceClient>(std::move(client));
}

}  // namespace awsd::invoke
