#include "daemon/invoke/invoker.h"

#include <sys/utsname.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "awsd_version.h"

namespace awsd::invoke {
namespace {

// botocore's user agent fields, with awsd in botocore's place.
std::string MakeUserAgent() {
  std::string os = "other";
  struct utsname name {};
  if (uname(&name) == 0) os = absl::StrCat(absl::AsciiStrToLower(name.sysname), "#", name.release);
  return absl::StrCat("awsd/", kAwsdVersion, " ua/2.1 os/", os, " lang/cpp md/awsd#", kAwsdVersion);
}

std::string ClientKey(const ClientSpec& spec) {
  // Sessions are immutable and shared: their address names them while the
  // cached client holds them.
  return absl::StrCat(reinterpret_cast<uintptr_t>(spec.session.get()), "\n", spec.service, "\n", spec.region, "\n",
                      spec.endpoint_url);
}

}  // namespace

Invoker::Invoker(Parts parts)
    : parts_(std::move(parts)),
      user_agent_(MakeUserAgent()),
      endpoints_(parts_.models.files()),
      services_{parts_.signer, *parts_.transport, *retries_.clock_skew(), parts_.random} {
  // Legacy mode's rules: botocore's _retry.json, else the built-in copy.
  auto rules = parts_.models.files().LoadDataFile("_retry");
  if (rules.ok()) (void)retries_.SetRetryDocument(*std::move(rules));
}

Invoker::~Invoker() = default;

absl::StatusOr<std::shared_ptr<const ServiceClient>> Invoker::Client(const ClientSpec& spec) {
  const std::string key = ClientKey(spec);
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_key_.find(key); it != by_key_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->second;
    }
  }
  ClientFactoryParts factory{parts_.models, endpoints_, retries_, parts_.connect_timeout, parts_.read_timeout,
                             parts_.total_timeout};
  auto client = ServiceClient::Create(spec, factory);
  if (!client.ok()) return client.status();
  std::lock_guard lock(mutex_);
  if (auto it = by_key_.find(key); it != by_key_.end()) return it->second->second;
  lru_.emplace_front(key, *client);
  by_key_[key] = lru_.begin();
  while (lru_.size() > parts_.max_clients) {
    by_key_.erase(lru_.back().first);
    lru_.pop_back();
  }
  return client;
}

absl::StatusOr<Invoker::Prepared> Invoker::Prepare(const InvokeCall& call, const PrepareOptions& options) {
  auto client = Client(ClientSpec{call.session, call.service, call.region, call.endpoint_url});
  if (!client.ok()) return client.status();
  auto operation = FindOperation((*client)->model(), call.operation);
  if (!operation.ok()) return operation.status();
  protocols::Value params = protocols::Value::object();
  if (!call.params_json.empty()) {
    params = protocols::Value::parse(call.params_json, nullptr, /*allow_exceptions=*/false);
    if (params.is_discarded() || !params.is_object()) {
      return absl::InvalidArgumentError("params_json: not a JSON object");
    }
  }
  PrepareOptions with_agent = options;
  with_agent.user_agent = user_agent_;
  auto request = PrepareRequest(**client, **operation, std::move(params), with_agent);
  if (!request.ok()) return request.status();
  return Prepared{*std::move(client), *std::move(request)};
}

std::shared_ptr<CallHandle> Invoker::Send(Prepared prepared, CallSettings settings, CallDone done) {
  return StartCall(std::move(prepared.client), std::move(prepared.request), std::move(settings), services_,
                   std::move(done));
}

std::shared_ptr<CallHandle> Invoker::Invoke(InvokeCall call, CallDone done) {
  PrepareOptions options;
  options.streamed_body = call.settings.body_reader != nullptr;
  options.streamed_body_length = call.settings.body_length;
  auto prepared = Prepare(call, options);
  if (!prepared.ok()) {
    CallOutcome outcome;
    outcome.status = prepared.status();
    done(std::move(outcome));
    return nullptr;
  }
  return Send(*std::move(prepared), std::move(call.settings), std::move(done));
}

}  // namespace awsd::invoke
