// Endpoint rule evaluation (daemon/endpoints) of real services' rule sets
// with arbitrary parameter values: every standard function (parseURL,
// substring, uriEncode, isValidHostLabel, aws.parseArn, aws.partition,
// aws.isVirtualHostableS3Bucket, ...) meets the input through the
// parameters, as it does when a caller passes Bucket, Endpoint or an ARN.
//
// Input: byte 0 picks the rule set (modulo the list); then each parameter the
// rule set declares, in order, takes one byte: bit 0 set means the
// parameter is given, and then a string is a '\n'-terminated line, a boolean
// is bit 1 of that byte, a string array is up to 4 lines (count in bits 1-2).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/endpoints/endpoint_resolver.h"
#include "daemon/endpoints/partitions.h"
#include "fuzz/fuzz_models.h"

namespace {

using awsd::endpoints::EndpointResolver;

// S3 and S3 Control have the largest rule sets (ARNs, access points, Outposts,
// S3 Express); the others add their own builtins and FIPS/dual-stack trees.
constexpr const char* kServices[] = {"s3", "s3control", "dynamodb", "sts", "lambda", "ec2", "iam", "cloudwatch"};

std::shared_ptr<const EndpointResolver> Load(const char* service) {
  const auto& files = awsd::fuzz::Models().files();
  static const std::shared_ptr<const awsd::endpoints::Partitions> partitions = [&files] {
    auto data = files.LoadDataFile("partitions");
    auto parsed = data.ok() ? awsd::endpoints::Partitions::FromJson(*data) : data.status();
    if (!parsed.ok()) {
      std::fprintf(stderr, "fuzzer set-up: partitions: %s\n", parsed.status().ToString().c_str());
      std::abort();
    }
    return *parsed;
  }();
  auto rules = files.LoadServiceFile(service, "endpoint-rule-set-1");
  if (!rules.ok()) {
    std::fprintf(stderr, "fuzzer set-up: %s rules: %s\n", service, rules.status().ToString().c_str());
    std::abort();
  }
  // No cache: every input must reach the evaluator.
  auto resolver = EndpointResolver::Create(*rules, partitions, /*cache_capacity=*/0);
  if (!resolver.ok()) {
    std::fprintf(stderr, "fuzzer set-up: %s rules: %s\n", service, resolver.status().ToString().c_str());
    std::abort();
  }
  return *resolver;
}

const EndpointResolver& Resolver(size_t index) {
  static std::vector<std::shared_ptr<const EndpointResolver>>* const resolvers = [] {
    auto* all = new std::vector<std::shared_ptr<const EndpointResolver>>();
    for (const char* service : kServices) all->push_back(Load(service));
    return all;
  }();
  return *(*resolvers)[index];
}

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : text_(reinterpret_cast<const char*>(data), size) {}
  uint8_t Byte() {
    if (text_.empty()) return 0;
    const uint8_t b = static_cast<uint8_t>(text_.front());
    text_.remove_prefix(1);
    return b;
  }
  std::string Line() {
    const size_t eol = text_.find('\n');
    std::string line(text_.substr(0, eol));
    text_ = eol == std::string_view::npos ? std::string_view() : text_.substr(eol + 1);
    return line;
  }

 private:
  std::string_view text_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  Reader input(data, size);
  const EndpointResolver& resolver = Resolver(input.Byte() % std::size(kServices));
  awsd::endpoints::EndpointParams params;
  for (const auto& definition : resolver.parameters()) {
    const uint8_t b = input.Byte();
    if ((b & 1) == 0) continue;
    switch (definition.type) {
      case awsd::endpoints::ParameterType::kBoolean:
        params[definition.name] = (b & 2) != 0;
        break;
      case awsd::endpoints::ParameterType::kString:
        params[definition.name] = input.Line();
        break;
      case awsd::endpoints::ParameterType::kStringArray: {
        std::vector<std::string> values;
        for (int i = 0; i < ((b >> 1) & 3) + 1; ++i) values.push_back(input.Line());
        params[definition.name] = std::move(values);
        break;
      }
    }
  }
  auto resolved = resolver.ResolveUncached(params);
  if (resolved.ok()) (void)resolved->url.size();
  return 0;
}
