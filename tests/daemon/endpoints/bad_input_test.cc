// Bad input through the real services' rule sets: each comes back as a
// status carrying the message botocore gives, never as a wrong endpoint.

#include <string>

#include "daemon/endpoints/endpoint_builtins.h"
#include "daemon/endpoints/endpoint_parameters.h"
#include "daemon/endpoints/service_endpoints.h"
#include "gtest/gtest.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"

namespace awsd::endpoints {
namespace {

ServiceEndpoints& Services() {
  static ServiceEndpoints* const services = new ServiceEndpoints(testing::Models());
  return *services;
}

absl::Status ResolveError(const std::string& service, const EndpointParams& params) {
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver = Services().ForService(service);
  if (!resolver.ok()) return resolver.status();
  absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> endpoint = (*resolver)->Resolve(params);
  if (endpoint.ok()) return absl::OkStatus();
  return endpoint.status();
}

EndpointParams S3Params(std::string region, std::string bucket) {
  return {{"Region", std::move(region)},
          {"UseFIPS", false},
          {"UseDualStack", false},
          {"Accelerate", false},
          {"Bucket", std::move(bucket)}};
}

TEST(BadInputTest, RegionWithIllegalCharacters) {
  // Refused where botocore refuses it, when the client is made...
  ClientEndpointOptions options;
  options.service = "s3";
  options.region = "us-east-1/../evil";
  absl::StatusOr<EndpointConfig> config =
      ComputeEndpointConfig(options, nullptr, nullptr, [](const std::string&) { return std::nullopt; });
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(), "Provided region_name 'us-east-1/../evil' doesn't match a supported format.");
  // ...and by the rule set itself where it checks.
  EXPECT_EQ(
      ResolveError("s3", {{"Region", std::string("us east 1")}, {"UseFIPS", false}, {"UseDualStack", false}}).message(),
      "Invalid region: region was not a valid DNS name.");
}

TEST(BadInputTest, ArnsThatDoNotParse) {
  EXPECT_EQ(ResolveError("s3", S3Params("us-west-2", "arn:aws:s3:us-west-2:123456789012")).message(),
            "Invalid ARN: `arn:aws:s3:us-west-2:123456789012` was not a valid ARN");
  EXPECT_EQ(ResolveError("s3", S3Params("us-west-2", "arn:aws:s3:us-west-2:123456789012:accesspoint")).message(),
            "Invalid ARN: Expected a resource of the format `accesspoint:<accesspoint name>` but no name was "
            "provided");
  EXPECT_EQ(ResolveError("s3", S3Params("us-west-2", "arn:aws:s3:us-we$t-2:123456789012:accesspoint:ap")).message(),
            "Invalid region in ARN: `us-we$t-2` (invalid DNS name)");
}

TEST(BadInputTest, RuleSetErrorsComeBackAsTheirOwnMessage) {
  EndpointParams params = S3Params("us-west-2", "bucket");
  params["UseFIPS"] = true;
  params["Accelerate"] = true;
  const absl::Status status = ResolveError("s3", params);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Accelerate cannot be used with FIPS");
  EXPECT_EQ(ResolveError("sqs", {{"Region", std::string("us-east-1")},
                                 {"UseFIPS", true},
                                 {"UseDualStack", false},
                                 {"Endpoint", std::string("https://example.com")}})
                .message(),
            "Invalid Configuration: FIPS and custom endpoint are not supported");
  EXPECT_EQ(ResolveError("s3", {{"Region", std::string("us-west-2")}, {"UseFIPS", std::string("no")}}).message(),
            "Value (UseFIPS) is the wrong type. Must be <class 'bool'>.");
  // The same error again, from the cache.
  EXPECT_EQ(ResolveError("s3", params).message(), "Accelerate cannot be used with FIPS");
}

TEST(BadInputTest, UnknownServiceAndMalformedRuleSet) {
  EXPECT_EQ(Services().ForService("no-such-service").status().code(), absl::StatusCode::kNotFound);
  std::string error;
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver = EndpointResolver::Create(
      nlohmann::json{{"version", "1.0"}, {"parameters", nlohmann::json::object()}, {"rules", {{{"type", "endpoint"}}}}},
      testing::InstalledPartitions(&error));
  EXPECT_EQ(resolver.status().message(), "invalid endpoint rule set: rules[0]: has no \"conditions\" array");
}

}  // namespace
}  // namespace awsd::endpoints
