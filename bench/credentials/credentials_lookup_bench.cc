// A credentials lookup as every signed call makes it: through a session to
// its resolved provider. Compared with botocore's
// session.get_credentials().get_frozen_credentials() by run.sh.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "daemon/credentials/cached_provider.h"
#include "daemon/session/session_registry.h"

namespace awsd {
namespace {

namespace fs = std::filesystem;

// A config directory for the whole run: static keys in one profile, a
// credential_process that hands out keys expiring in a day in another.
class Files {
 public:
  Files() {
    char pattern[] = "/tmp/awsd-credentials-bench-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::ofstream(dir_ / "credentials") << "[static]\naws_access_key_id = AKIDSTATIC\n"
                                           "aws_secret_access_key = secret\n";
    std::ofstream(dir_ / "process.sh") << "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS\", "
                                          "\"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", "
                                          "\"Expiration\": \"2099-01-01T00:00:00Z\"}'\n";
    fs::permissions(dir_ / "process.sh", fs::perms::owner_all);
    std::ofstream(dir_ / "config") << "[profile refreshing]\ncredential_process = " << (dir_ / "process.sh").string()
                                   << "\n";
  }
  ~Files() { fs::remove_all(dir_); }

  config::EnvLookup Environment() const {
    std::map<std::string, std::string> vars = {{"AWS_CONFIG_FILE", (dir_ / "config").string()},
                                               {"AWS_SHARED_CREDENTIALS_FILE", (dir_ / "credentials").string()},
                                               {"AWS_EC2_METADATA_DISABLED", "true"}};
    return [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

 private:
  fs::path dir_;
};

void LookupThroughSession(benchmark::State& state, const char* profile) {
  static Files files;
  static session::SessionRegistry registry(files.Environment());
  session::SessionOptions options;
  options.profile = profile;
  auto session = registry.Create(options);
  if (!session.ok() || !(*session)->Credentials().ok()) {
    state.SkipWithError("no session");
    return;
  }
  for (auto _ : state) {
    auto credentials = (*session)->Credentials();
    benchmark::DoNotOptimize(credentials);
  }
}

// Static keys from the credentials file.
void BM_SessionLookup_StaticKeys(benchmark::State& state) { LookupThroughSession(state, "static"); }
BENCHMARK(BM_SessionLookup_StaticKeys)->Threads(1)->Threads(8);

// Refreshing credentials (credential_process), served from the shared cache.
void BM_SessionLookup_Refreshing(benchmark::State& state) { LookupThroughSession(state, "refreshing"); }
BENCHMARK(BM_SessionLookup_Refreshing)->Threads(1)->Threads(8);

}  // namespace
}  // namespace awsd

BENCHMARK_MAIN();
