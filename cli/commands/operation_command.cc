#include <fstream>
#include <sstream>

#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace awsd::cli {
namespace {

// kebab-case to the model's PascalCase: "list-objects-v2" -> "ListObjectsV2".
std::string ToOperationName(const std::string& kebab) {
  std::string name;
  bool upper = true;
  for (char c : kebab) {
    if (c == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

}  // namespace

int RunOperationCommand(const GlobalOptions& options, const awsd::Client& client, const Arguments& args) {
  if (args.size() < 2) {
    std::fprintf(stderr, "awsctl: expected SERVICE OPERATION, e.g. 'awsctl sts get-caller-identity'\n");
    return kExitUsage;
  }
  const std::string& service = args[0];
  const std::string operation = ToOperationName(args[1]);
  std::string params = "{}";
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--cli-input-json" && i + 1 < args.size()) {
      params = args[++i];
      if (params.starts_with("file://")) {
        std::ifstream in(params.substr(7));
        if (!in) {
          std::fprintf(stderr, "awsctl: --cli-input-json: cannot read %s\n", params.substr(7).c_str());
          return kExitUsage;
        }
        std::ostringstream content;
        content << in.rdbuf();
        params = content.str();
      }
      continue;
    }
    // Members are typed by the service model, which the daemon holds and
    // awsctl does not; until the daemon describes them, only the JSON form
    // of the input is taken.
    std::fprintf(stderr, "awsctl: %s: parameter '%s' needs the service model; pass the input as --cli-input-json\n",
                 args[1].c_str(), args[i].c_str());
    return kExitUsage;
  }
  auto reply = client.Invoke(options.MakeSession(), service, operation, params);
  if (!reply) return ReportError(reply.error(), operation);
  auto result = nlohmann::ordered_json::parse(reply->result_json(), nullptr, /*allow_exceptions=*/false);
  if (result.is_discarded()) {
    std::fprintf(stderr, "awsctl: the daemon answered with a result that is not JSON\n");
    return kExitOther;
  }
  PrintResult(result, options.output);
  return kExitSuccess;
}

}  // namespace awsd::cli
