#include "daemon/credentials/default_chain.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/config/settings.h"
#include "daemon/credentials/cached_provider.h"
#include "daemon/credentials/chain_provider.h"
#include "daemon/credentials/container_provider.h"
#include "daemon/credentials/environment_provider.h"
#include "daemon/credentials/imds_provider.h"
#include "daemon/credentials/process_provider.h"
#include "daemon/credentials/profile_keys_provider.h"
#include "daemon/credentials/role_chain.h"
#include "daemon/credentials/sso_provider.h"
#include "daemon/credentials/web_identity_provider.h"
#include "daemon/sts/sts_client.h"
#include "daemon/sts/sts_endpoint.h"
#include "daemon/sts/sts_retry.h"

namespace awsd::credentials {
namespace {

using Providers = std::vector<std::shared_ptr<CredentialsProvider>>;

// A configuration error, raised where botocore raises it in the chain.
class FailingProvider : public CredentialsProvider {
 public:
  explicit FailingProvider(absl::Status error) : error_(std::move(error)) {}
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override { return error_; }

 private:
  absl::Status error_;
};

// A source that must have credentials: nothing from it is an error.
class RequiredProvider : public CredentialsProvider {
 public:
  RequiredProvider(std::shared_ptr<CredentialsProvider> inner, std::string missing)
      : inner_(std::move(inner)), missing_(std::move(missing)) {}
  absl::StatusOr<std::shared_ptr<const Credentials>> Resolve() override {
    auto resolved = inner_->Resolve();
    if (resolved.ok() && *resolved == nullptr) return absl::FailedPreconditionError(missing_);
    return resolved;
  }

 private:
  std::shared_ptr<CredentialsProvider> inner_;
  std::string missing_;
};

std::string Field(const std::string& value) { return absl::StrCat(value.size(), ":", value, ";"); }

// The text of a profile in both files, as part of an identity: keys
// (secrets included) enter only through a digest.
std::string ProfileDigest(const config::AwsConfig& aws, const std::string& name) {
  std::string text;
  for (const config::ProfileSet* set : {&aws.config_only, &aws.credentials_only}) {
    if (const config::Profile* profile = config::FindProfile(*set, name)) {
      for (const auto& [key, value] : *profile) absl::StrAppend(&text, Field(key), Field(value.text));
    }
    text += "|";
  }
  return IdentityDigest(text);
}

class ChainBuilder {
 public:
  explicit ChainBuilder(const ChainOptions& options) : options_(options), aws_(*options.aws) {}

  std::shared_ptr<CredentialsProvider> Build() {
    const std::string& name = options_.profile_name;
    Providers chain;
    if (!options_.explicit_profile) chain.push_back(Environment().provider);
    auto plan = PlanRoleChain(aws_.merged, name);
    if (!plan.ok()) {
      chain.push_back(std::make_shared<FailingProvider>(plan.status()));
    } else if (*plan) {
      auto role = RoleChainProvider(**plan);
      chain.push_back(role.ok() ? *role : std::make_shared<FailingProvider>(role.status()));
    }
    for (auto& provider : ProfileProviders(name, options_.explicit_profile)) chain.push_back(std::move(provider));
    chain.push_back(Container().provider);
    chain.push_back(Imds().provider);
    return std::make_shared<ChainProvider>(std::move(chain));
  }

 private:
  const config::Profile* Profile(const std::string& name) const { return config::FindProfile(aws_.merged, name); }

  // Shares one cached provider per identity between sessions. `source` is
  // botocore's method name, for the metrics; a provider shared by several
  // profiles is labelled with the one that made it.
  std::shared_ptr<CredentialsProvider> Cached(const char* source, const std::string& key,
                                              const std::function<std::shared_ptr<CredentialsProvider>()>& make,
                                              bool static_stability = false) {
    auto wrap = [&]() -> std::shared_ptr<CredentialsProvider> {
      CachedProvider::Options cache_options;
      cache_options.clock = options_.context.clock;
      cache_options.static_stability = static_stability;
      cache_options.warn = options_.warn;
      cache_options.metric_labels = CachedProvider::Options::MetricLabels{options_.profile_name, source};
      return std::make_shared<CachedProvider>(make(), std::move(cache_options));
    };
    if (options_.cache == nullptr) return wrap();
    return options_.cache->GetOrCreate(key, wrap);
  }

  // A provider with the key of the identity it stands for (see Cached), so
  // a role assumed from it is keyed by its source too.
  struct Keyed {
    std::shared_ptr<CredentialsProvider> provider;
    std::string key;
  };

  Keyed Environment() {
    const auto& env = options_.context.environment;
    return {std::make_shared<EnvironmentProvider>(env),
            absl::StrCat("env|", Field(env("AWS_ACCESS_KEY_ID").value_or("")),
                         IdentityDigest(env("AWS_SECRET_ACCESS_KEY").value_or("")))};
  }

  Keyed Container() {
    const auto& env = options_.context.environment;
    std::string key = "container|";
    for (const char* name : {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                             "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"}) {
      absl::StrAppend(&key, Field(env(name).value_or("")));
    }
    absl::StrAppend(&key, IdentityDigest(env("AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("")));
    return {Cached("container-role", key, [&] { return std::make_shared<ContainerProvider>(options_.context); }), key};
  }

  Keyed Imds() {
    auto settings = ImdsSettings::Resolve(Profile(options_.profile_name), options_.context.environment);
    if (!settings.ok()) return {std::make_shared<FailingProvider>(settings.status()), "imds|invalid"};
    const std::string key = absl::StrCat("imds|", Field(settings->endpoint), settings->timeout.count(), "|",
                                         settings->attempts, "|", settings->v1_disabled, "|", settings->disabled);
    return {Cached(
                "iam-role", key, [&] { return std::make_shared<ImdsProvider>(options_.context, *settings); },
                /*static_stability=*/true),
            key};
  }

  absl::StatusOr<std::shared_ptr<sts::StsClient>> Sts() {
    if (sts_) return sts_;
    auto endpoint = sts::ResolveStsEndpoint(options_.region, Profile(options_.profile_name), &aws_.merged,
                                            options_.context.environment);
    if (!endpoint.ok()) return endpoint.status();
    auto retries = sts::ResolveRetrySettings(Profile(options_.profile_name), options_.context.environment);
    if (!retries.ok()) return retries.status();
    sts_ = std::make_shared<sts::StsClient>(options_.context, options_.signer, *std::move(endpoint),
                                            retries->max_attempts, retries->mode);
    return sts_;
  }

  // botocore's ProfileProviderBuilder: web identity, SSO, the credentials
  // file, credential_process, the config file.
  Providers ProfileProviders(const std::string& name, bool disable_env_vars) {
    Providers providers;
    const config::Profile* profile = Profile(name);
    auto web_identity = WebIdentityParamsFromConfig(profile, options_.context.environment, disable_env_vars);
    if (!web_identity.ok()) {
      providers.push_back(std::make_shared<FailingProvider>(web_identity.status()));
    } else if (*web_identity) {
      auto sts = Sts();
      if (!sts.ok()) {
        providers.push_back(std::make_shared<FailingProvider>(sts.status()));
      } else {
        const auto& params = **web_identity;
        const std::string key = absl::StrCat("web-identity|", Field(params.token_file), Field(params.role_arn),
                                             Field(params.role_session_name), Field((*sts)->endpoint().url));
        providers.push_back(Cached("assume-role-with-web-identity", key, [&] {
          return std::make_shared<WebIdentityProvider>(options_.context, params, *sts);
        }));
      }
    }
    auto sso = SsoProviderFromProfile(options_.context, name, aws_);
    if (!sso.ok()) {
      providers.push_back(std::make_shared<FailingProvider>(sso.status()));
    } else if (*sso) {
      const std::string key = absl::StrCat("sso|", Field(name), ProfileDigest(aws_, name));
      providers.push_back(Cached("sso", key, [&] { return *sso; }));
    }
    auto in_file = [&](const config::ProfileSet& set) -> std::optional<config::Profile> {
      const config::Profile* found = config::FindProfile(set, name);
      return found ? std::optional<config::Profile>(*found) : std::nullopt;
    };
    providers.push_back(std::make_shared<ProfileKeysProvider>(in_file(aws_.credentials_only),
                                                              "shared-credentials-file", aws_.files.credentials_file));
    if (profile != nullptr) {
      if (auto process = profile->find("credential_process"); process != profile->end()) {
        std::string account;
        if (auto id = profile->find("aws_account_id"); id != profile->end()) account = id->second.text;
        const std::string& command = process->second.text;
        providers.push_back(Cached("custom-process", absl::StrCat("process|", Field(command), Field(account)), [&] {
          return std::make_shared<ProcessProvider>(command, std::chrono::seconds(60), account);
        }));
      }
    }
    providers.push_back(
        std::make_shared<ProfileKeysProvider>(in_file(aws_.config_only), "config-file", aws_.files.config_file));
    return providers;
  }

  // The provider and identity key of a role chain's first credentials.
  Keyed Base(const RoleChain& chain, const std::string& top_profile) {
    if (const auto* source = std::get_if<SourceProfile>(&chain.base)) {
      auto profile_chain = std::make_shared<ChainProvider>(ProfileProviders(source->profile, true));
      return {std::make_shared<RequiredProvider>(
                  profile_chain, absl::StrCat("The source profile \"", source->profile, "\" must have credentials.")),
              absl::StrCat("profile|", Field(source->profile), ProfileDigest(aws_, source->profile))};
    }
    Keyed named;
    switch (std::get<NamedSource>(chain.base)) {
      case NamedSource::kEnvironment:
        named = Environment();
        break;
      case NamedSource::kEc2InstanceMetadata:
        named = Imds();
        break;
      case NamedSource::kEcsContainer:
        named = Container();
        break;
    }
    return {std::make_shared<RequiredProvider>(
                named.provider,
                absl::StrCat("No credentials found in credential_source referenced in profile ", top_profile)),
            named.key};
  }

  absl::StatusOr<std::shared_ptr<CredentialsProvider>> RoleChainProvider(const RoleChain& chain) {
    auto sts = Sts();
    if (!sts.ok()) return sts.status();
    auto [provider, key] = Base(chain, options_.profile_name);
    for (const RoleLink& link : chain.roles) {
      AssumeRoleParams params;
      params.role_arn = link.role_arn;
      params.role_session_name = link.role_session_name.value_or("");
      params.external_id = link.external_id;
      params.duration_seconds = link.duration_seconds;
      params.mfa_serial = link.mfa_serial;
      key = absl::StrCat("assume-role|", Field(link.role_arn), Field(params.role_session_name),
                         Field(link.external_id.value_or("")), link.duration_seconds.value_or(0), "|",
                         Field(link.mfa_serial.value_or("")), Field((*sts)->endpoint().url), "<-", key);
      auto source = provider;
      provider = Cached("assume-role", key, [&] {
        return std::make_shared<AssumeRoleProvider>(source, params, *sts, options_.mfa);
      });
    }
    return provider;
  }

  const ChainOptions& options_;
  const config::AwsConfig& aws_;
  std::shared_ptr<sts::StsClient> sts_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> BuildDefaultChain(const ChainOptions& options) {
  return ChainBuilder(options).Build();
}

}  // namespace awsd::credentials
