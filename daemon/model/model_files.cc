#include "daemon/model/model_files.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "daemon/model/extras_merge.h"

namespace awsd::model {
namespace {

namespace fs = std::filesystem;

// ec2's service-2.json is about 5 MB; anything far larger is not a model.
constexpr std::size_t kMaxModelBytes = 256u << 20;

bool IsFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool IsDirectory(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

void AppendPathList(const std::optional<std::string>& list, const config::EnvLookup& env,
                    std::vector<std::string>& out) {
  if (!list) return;
  for (absl::string_view part : absl::StrSplit(*list, ':', absl::SkipEmpty())) {
    out.push_back(config::ExpandPath(std::string(part), env));
  }
}

absl::StatusOr<std::string> Inflate(const std::string& compressed, const std::string& path) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return absl::InternalError("zlib: inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > kMaxModelBytes) rc = Z_MEM_ERROR;
    if (rc == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) rc = Z_DATA_ERROR;  // truncated
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) return absl::DataLossError(absl::StrCat(path, ": not a valid gzip file"));
  return out;
}

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be opened"));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  std::string data = std::move(contents).str();
  if (data.size() > kMaxModelBytes) return absl::ResourceExhaustedError(absl::StrCat(path, ": too large"));
  return data;
}

// A python3.X lib folder's site-packages / dist-packages <package>/data, if
// `marker` is a file in it.
std::optional<std::string> PackageDataUnder(const fs::path& lib, const std::string& package,
                                            const std::string& marker) {
  std::error_code ec;
  if (!IsDirectory(lib)) return std::nullopt;
  std::vector<fs::path> candidates;
  for (const auto& entry : fs::directory_iterator(lib, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("python3", 0) == 0) {
      candidates.push_back(entry.path() / "site-packages" / package / "data");
      candidates.push_back(entry.path() / "dist-packages" / package / "data");
    }
  }
  std::sort(candidates.rbegin(), candidates.rend());  // newest Python first
  for (const fs::path& candidate : candidates) {
    if (IsFile(candidate / marker)) return candidate.string();
  }
  return std::nullopt;
}

std::optional<std::string> ReadFirstLine(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

std::optional<std::string> FindInstalledBotocoreData(const config::EnvLookup& env) {
  return FindInstalledPackageData(env, "botocore", "partitions.json");
}

std::optional<std::string> FindInstalledPackageData(const config::EnvLookup& env, std::string_view package,
                                                    std::string_view marker) {
  std::vector<fs::path> prefixes;
  if (auto venv = env("VIRTUAL_ENV")) prefixes.emplace_back(*venv);
  // pyenv puts shell-script shims on PATH; its selected version names the prefix.
  const std::optional<std::string> home = config::HomeDirectory(env);
  fs::path pyenv_root = env("PYENV_ROOT").value_or(home ? *home + "/.pyenv" : "");
  if (!pyenv_root.empty()) {
    std::optional<std::string> version = env("PYENV_VERSION");
    if (!version) version = ReadFirstLine(pyenv_root / "version");
    if (version) {
      for (absl::string_view v : absl::StrSplit(*version, ':', absl::SkipEmpty())) {
        prefixes.push_back(pyenv_root / "versions" / std::string(v));
      }
    }
  }
  // A real python3 on PATH: its prefix is the folder above bin/.
  if (auto path = env("PATH")) {
    for (absl::string_view dir : absl::StrSplit(*path, ':', absl::SkipEmpty())) {
      std::error_code ec;
      const fs::path python = fs::path(std::string(dir)) / "python3";
      if (!IsFile(python)) continue;
      const fs::path real = fs::canonical(python, ec);
      if (!ec) prefixes.push_back(real.parent_path().parent_path());
    }
  }
  if (home) prefixes.push_back(fs::path(*home) / ".local");
  prefixes.emplace_back("/usr/local");
  for (const fs::path& prefix : prefixes) {
    if (auto found = PackageDataUnder(prefix / "lib", std::string(package), std::string(marker))) return found;
  }
  // Debian's python3-botocore / python3-boto3.
  const fs::path debian = fs::path("/usr/lib/python3/dist-packages") / std::string(package) / "data";
  if (IsFile(debian / std::string(marker))) return debian.string();
  return std::nullopt;
}

std::vector<std::string> ModelSearchPath(const ModelSearchOptions& options, const config::EnvLookup& env) {
  std::vector<std::string> path;
  for (const std::string& dir : options.configured_dirs) path.push_back(config::ExpandPath(dir, env));
  AppendPathList(env("AWSD_MODELS_DIR"), env, path);
  AppendPathList(env("AWS_DATA_PATH"), env, path);
  if (auto home = config::HomeDirectory(env)) path.push_back(*home + "/.aws/models");
  if (auto botocore = FindInstalledBotocoreData(env)) path.push_back(*botocore);
  return path;
}

absl::StatusOr<std::string> ReadModelText(const std::string& path) {
  absl::StatusOr<std::string> data = ReadWhole(path);
  if (!data.ok()) return data.status();
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) return Inflate(*data, path);
  return data;
}

absl::StatusOr<nlohmann::json> ReadJsonFile(const std::string& path) {
  absl::StatusOr<std::string> data = ReadModelText(path);
  if (!data.ok()) return data.status();
  nlohmann::json parsed = nlohmann::json::parse(*data, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return absl::DataLossError(absl::StrCat(path, ": not valid JSON"));
  return parsed;
}

ModelFiles::ModelFiles(std::vector<std::string> search_path) : search_path_(std::move(search_path)) {}

std::optional<std::string> ModelFiles::FindFile(const std::string& relative) const {
  for (const std::string& folder : search_path_) {
    for (const char* extension : {".json", ".json.gz"}) {
      const std::string candidate = absl::StrCat(folder, "/", relative, extension);
      if (IsFile(candidate)) return candidate;
    }
  }
  return std::nullopt;
}

std::vector<std::string> ModelFiles::AvailableServices(std::string_view type) const {
  std::set<std::string> services;
  for (const std::string& folder : search_path_) {
    std::error_code ec;
    for (const auto& service : fs::directory_iterator(folder, ec)) {
      if (!service.is_directory(ec)) continue;
      for (const auto& version : fs::directory_iterator(service.path(), ec)) {
        const fs::path base = version.path() / std::string(type);
        if (IsFile(base.string() + ".json") || IsFile(base.string() + ".json.gz")) {
          services.insert(service.path().filename().string());
          break;
        }
      }
    }
  }
  return {services.begin(), services.end()};
}

absl::StatusOr<std::string> ModelFiles::LatestApiVersion(std::string_view service, std::string_view type) const {
  std::string latest;
  for (const std::string& folder : search_path_) {
    std::error_code ec;
    for (const auto& version : fs::directory_iterator(absl::StrCat(folder, "/", std::string(service)), ec)) {
      const std::string name = version.path().filename().string();
      const fs::path base = version.path() / std::string(type);
      if (name > latest && (IsFile(base.string() + ".json") || IsFile(base.string() + ".json.gz"))) latest = name;
    }
  }
  if (latest.empty())
    return absl::NotFoundError(
        absl::StrCat("no ", std::string(type), " model for service '", std::string(service), "'"));
  return latest;
}

absl::StatusOr<nlohmann::json> ModelFiles::LoadServiceFile(std::string_view service, std::string_view type,
                                                           std::optional<std::string> api_version) const {
  if (!api_version) {
    absl::StatusOr<std::string> latest = LatestApiVersion(service, type);
    if (!latest.ok()) return latest.status();
    api_version = *latest;
  }
  const std::string base = absl::StrCat(std::string(service), "/", *api_version, "/", std::string(type));
  const std::optional<std::string> path = FindFile(base);
  if (!path) return absl::NotFoundError(absl::StrCat("no ", base, ".json in the model search path"));
  absl::StatusOr<nlohmann::json> model = ReadJsonFile(*path);
  if (!model.ok()) return model.status();
  if (const std::optional<std::string> extras_path = FindFile(base + ".sdk-extras")) {
    absl::StatusOr<nlohmann::json> extras = ReadJsonFile(*extras_path);
    if (!extras.ok()) return extras.status();
    if (extras->contains("merge") && (*extras)["merge"].is_object() && model->is_object()) {
      MergeExtras(*model, (*extras)["merge"]);
    }
  }
  return model;
}

absl::StatusOr<ModelFiles::Document> ModelFiles::LoadServiceDocument(std::string_view service,
                                                                     std::string_view type) const {
  absl::StatusOr<std::string> version = LatestApiVersion(service, type);
  if (!version.ok()) return version.status();
  const std::string base = absl::StrCat(std::string(service), "/", *version, "/", std::string(type));
  const std::optional<std::string> path = FindFile(base);
  if (!path) return absl::NotFoundError(absl::StrCat("no ", base, ".json in the model search path"));
  Document document;
  absl::StatusOr<std::string> text = ReadModelText(*path);
  if (!text.ok()) return text.status();
  document.text = *std::move(text);
  if (const std::optional<std::string> extras_path = FindFile(base + ".sdk-extras")) {
    absl::StatusOr<std::string> extras_text = ReadModelText(*extras_path);
    if (!extras_text.ok()) return extras_text.status();
    nlohmann::ordered_json extras = nlohmann::ordered_json::parse(*extras_text, nullptr, /*allow_exceptions=*/false);
    if (extras.is_discarded()) return absl::DataLossError(absl::StrCat(*extras_path, ": not valid JSON"));
    if (extras.is_object() && extras.contains("merge")) document.extras_merge = std::move(extras["merge"]);
  }
  return document;
}

absl::StatusOr<std::string> ModelFiles::DataFilePath(std::string_view name) const {
  std::optional<std::string> path = FindFile(std::string(name));
  if (!path) return absl::NotFoundError(absl::StrCat("no ", std::string(name), ".json in the model search path"));
  return *std::move(path);
}

absl::StatusOr<nlohmann::json> ModelFiles::LoadDataFile(std::string_view name) const {
  const absl::StatusOr<std::string> path = DataFilePath(name);
  if (!path.ok()) return path.status();
  return ReadJsonFile(*path);
}

absl::StatusOr<std::string> ModelFiles::LoadDataFileText(std::string_view name) const {
  const absl::StatusOr<std::string> path = DataFilePath(name);
  if (!path.ok()) return path.status();
  return ReadModelText(*path);
}

}  // namespace awsd::model
