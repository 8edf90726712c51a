// The JSON documents credential sources answer with (daemon/credentials):
// IMDS (role name and credentials), the container endpoint (with its URL and
// token checks), credential_process output, and the SSO token cache with the
// CreateToken answer of a refresh. Every HTTP exchange is answered from the
// input by a scripted client and every file lives in memory: no network, no
// disk, no process.
//
// Input: byte 0 picks the source (modulo 4); the rest is that source's text:
//   0 IMDS        "<role name>\n<credentials JSON>"
//   1 container   "<full URI>\n<authorization token>\n<credentials JSON>"
//   2 process     "<stdout JSON>"
//   3 SSO cache   "<cache JSON>\n----\n<CreateToken answer JSON>"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "daemon/common/file_system.h"
#include "daemon/credentials/container_provider.h"
#include "daemon/credentials/imds_provider.h"
#include "daemon/credentials/process_provider.h"
#include "daemon/credentials/provider_context.h"
#include "daemon/credentials/sso_token_provider.h"
#include "spdlog/spdlog.h"
#include "tests/support/fake_environment.h"
#include "tests/support/scripted_http_client.h"

namespace {

using awsd::credentials::ProviderContext;

// One file's worth of memory: reads return the scripted text, writes (a
// refreshed SSO token) replace it. The path is ignored.
class MemoryFileSystem : public awsd::FileSystem {
 public:
  explicit MemoryFileSystem(std::string contents) : contents_(std::move(contents)) {}
  absl::StatusOr<std::string> ReadFile(const std::string& path, std::size_t max_bytes) const override {
    if (contents_.size() > max_bytes) return absl::ResourceExhaustedError("too large");
    return contents_;
  }
  absl::Status WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode) const override {
    contents_ = std::string(contents);
    return absl::OkStatus();
  }

 private:
  mutable std::string contents_;
};

// The text up to the first `separator` and the rest (all of it and "" when
// there is none).
std::pair<std::string_view, std::string_view> SplitOnce(std::string_view text, std::string_view separator) {
  const size_t at = text.find(separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + separator.size())};
}

ProviderContext Context(std::map<std::string, std::string> env, std::string file,
                        std::shared_ptr<awsd::test_support::ScriptedHttpClient> http) {
  ProviderContext context;
  context.environment = awsd::test_support::FakeEnvironment(std::move(env));
  context.files = std::make_shared<MemoryFileSystem>(std::move(file));
  context.http = std::move(http);
  // A fixed instant: expiry decisions must not depend on when the fuzzer runs.
  context.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1767225600)); };
  context.sleep = [](std::chrono::milliseconds) {};
  return context;
}

void Imds(std::string_view text) {
  auto [role, document] = SplitOnce(text, "\n");
  auto http = std::make_shared<awsd::test_support::ScriptedHttpClient>();
  http->Respond(200, "fuzz-token");
  http->Respond(200, std::string(role));
  http->Respond(200, std::string(document));
  awsd::credentials::ImdsSettings settings;
  settings.endpoint = "http://imds.invalid/";  // never dialled: the client is scripted
  awsd::credentials::ImdsProvider provider(Context({}, "", http), settings);
  (void)provider.Resolve();
}

void Container(std::string_view text) {
  auto [uri, rest] = SplitOnce(text, "\n");
  auto [token, document] = SplitOnce(rest, "\n");
  auto http = std::make_shared<awsd::test_support::ScriptedHttpClient>();
  http->Respond(200, std::string(document));
  awsd::credentials::ContainerProvider::Options options;
  options.attempts = 1;
  options.pause = std::chrono::milliseconds(0);
  awsd::credentials::ContainerProvider provider(Context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", std::string(uri)},
                                                         {"AWS_CONTAINER_AUTHORIZATION_TOKEN", std::string(token)}},
                                                        "", http),
                                                options);
  (void)provider.Resolve();
}

void SsoCache(std::string_view text) {
  auto [cache, answer] = SplitOnce(text, "\n----\n");
  auto http = std::make_shared<awsd::test_support::ScriptedHttpClient>();
  http->Respond(200, std::string(answer));
  awsd::credentials::SsoSessionConfig config;
  config.session_name = "fuzz";
  config.start_url = "https://fuzz.awsapps.com/start";
  config.region = "us-east-1";
  config.registration_scopes = {"sso:account:access"};
  awsd::credentials::SsoTokenProvider provider(Context({{"HOME", "/nonexistent-fuzz-home"}}, std::string(cache), http),
                                               config);
  (void)provider.Token();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    // The providers log what they found; at fuzzing speed that is noise.
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      Imds(text);
      break;
    case 1:
      Container(text);
      break;
    case 2:
      (void)awsd::credentials::ParseProcessOutput(text, "123456789012");
      break;
    default:
      SsoCache(text);
      break;
  }
  return 0;
}
