// Configuration -> built-ins -> parameters, as botocore 1.43 computes them
// when it creates a client (the differential test compares many more
// settings with botocore itself).

#include "daemon/endpoints/endpoint_builtins.h"

#include <map>
#include <string>

#include "daemon/endpoints/endpoint_parameters.h"
#include "gtest/gtest.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"

namespace awsd::endpoints {
namespace {

config::EnvLookup Env(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

config::Value Plain(std::string text) { return config::Value{std::move(text), std::nullopt}; }

config::Value Block(std::map<std::string, std::string> keys) {
  config::Value value;
  value.sub_properties.emplace();
  for (const auto& [key, text] : keys) {
    value.text += "\n" + key + " = " + text;
    (*value.sub_properties)[key] = text;
  }
  return value;
}

absl::StatusOr<EndpointConfig> Compute(ClientEndpointOptions options, const config::Profile& profile = {},
                                       std::map<std::string, std::string> env = {}) {
  return ComputeEndpointConfig(options, &profile, nullptr, Env(std::move(env)));
}

ClientEndpointOptions Client(std::string service, std::optional<std::string> region) {
  ClientEndpointOptions options;
  options.service = std::move(service);
  options.region = std::move(region);
  return options;
}

TEST(EndpointBuiltinsTest, Defaults) {
  absl::StatusOr<EndpointConfig> config = Compute(Client("sqs", "us-west-2"));
  ASSERT_TRUE(config.ok()) << config.status();
  const Builtins expected = {
      {"AWS::Region", std::string("us-west-2")},
      {"AWS::UseFIPS", false},
      {"AWS::UseDualStack", false},
      {"AWS::STS::UseGlobalEndpoint", false},
      {"AWS::S3::UseGlobalEndpoint", false},
      {"AWS::S3::Accelerate", false},
      {"AWS::S3::ForcePathStyle", false},
      {"AWS::S3::UseArnRegion", true},
      {"AWS::S3Control::UseArnRegion", false},
      {"AWS::S3::DisableMultiRegionAccessPoints", false},
      {"AWS::S3::DisableS3ExpressSessionAuth", false},
      {"AWS::Auth::AccountIdEndpointMode", std::string("preferred")},
  };
  EXPECT_EQ(config->builtins, expected);
  EXPECT_TRUE(config->client_context.empty());
}

TEST(EndpointBuiltinsTest, AConfiguredEndpointTurnsFipsAndDualStackOff) {
  absl::StatusOr<EndpointConfig> config = Compute(Client("s3", "eu-west-1"), {},
                                                  {{"AWS_USE_FIPS_ENDPOINT", "true"},
                                                   {"AWS_USE_DUALSTACK_ENDPOINT", "TRUE"},
                                                   {"AWS_ENDPOINT_URL", "https://minio.local:9000"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->builtins.at("SDK::Endpoint"), ParamValue(std::string("https://minio.local:9000")));
  EXPECT_EQ(config->builtins.at("AWS::UseFIPS"), ParamValue(false));
  EXPECT_EQ(config->builtins.at("AWS::UseDualStack"), ParamValue(false));
  // A custom endpoint means path-style addressing unless virtual is asked for.
  EXPECT_EQ(config->builtins.at("AWS::S3::ForcePathStyle"), ParamValue(true));

  // The session's explicit URL wins over the environment's.
  ClientEndpointOptions explicit_url = Client("s3", "eu-west-1");
  explicit_url.endpoint_url = "https://explicit.example.com";
  config = Compute(explicit_url, {}, {{"AWS_ENDPOINT_URL_S3", "https://env.example.com"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->configured_endpoint_url, "https://explicit.example.com");

  // Without one, FIPS and dual-stack come from the settings.
  config = Compute(Client("sqs", "eu-west-1"), {}, {{"AWS_USE_FIPS_ENDPOINT", "true"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->builtins.at("AWS::UseFIPS"), ParamValue(true));
}

TEST(EndpointBuiltinsTest, TheS3Block) {
  const config::Profile profile = {{"s3", Block({{"addressing_style", "virtual"},
                                                 {"use_accelerate_endpoint", "True"},
                                                 {"us_east_1_regional_endpoint", "regional"},
                                                 {"use_dualstack_endpoint", "true"}})}};
  absl::StatusOr<EndpointConfig> config =
      Compute(Client("s3", "us-east-1"), profile, {{"AWS_S3_USE_ARN_REGION", "false"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->builtins.at("AWS::S3::Accelerate"), ParamValue(true));
  EXPECT_EQ(config->builtins.at("AWS::S3::ForcePathStyle"), ParamValue(false));
  EXPECT_EQ(config->builtins.at("AWS::S3::UseGlobalEndpoint"), ParamValue(false));
  EXPECT_EQ(config->builtins.at("AWS::UseDualStack"), ParamValue(true));
  EXPECT_EQ(config->builtins.at("AWS::S3::UseArnRegion"), ParamValue(false));
  // For s3 the block is also the client context ("UseArnRegion" reads
  // use_arn_region).
  EXPECT_EQ(config->client_context.at("use_arn_region"), ParamValue(false));
  EXPECT_EQ(config->client_context.at("disable_s3_express_session_auth"), ParamValue(false));
  EXPECT_EQ(ClientContextParams(std::vector<std::string>{"UseArnRegion", "Accelerate"}, config->client_context),
            (EndpointParams{{"UseArnRegion", false}}));
  // The s3 block's dual-stack is S3's alone.
  config = Compute(Client("sqs", "us-east-1"), profile);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->builtins.at("AWS::UseDualStack"), ParamValue(false));
  EXPECT_TRUE(config->client_context.empty());

  // Legacy (the default) sends us-east-1 to the global endpoint.
  config = Compute(Client("s3", "us-east-1"));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->builtins.at("AWS::S3::UseGlobalEndpoint"), ParamValue(true));
  // addressing_style=path.
  config = Compute(Client("s3", "us-east-1"), {{"s3", Block({{"addressing_style", "path"}})}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->builtins.at("AWS::S3::ForcePathStyle"), ParamValue(true));
}

TEST(EndpointBuiltinsTest, MissingRegions) {
  EXPECT_EQ(Compute(Client("s3", std::nullopt))->builtins.at("AWS::Region"), ParamValue(std::string("us-east-1")));
  EXPECT_EQ(Compute(Client("s3", std::nullopt), {{"s3", Block({{"us_east_1_regional_endpoint", "regional"}})}})
                ->builtins.at("AWS::Region"),
            ParamValue(std::string("aws-global")));
  EXPECT_EQ(Compute(Client("sts", std::nullopt))->builtins.at("AWS::Region"), ParamValue(std::string("aws-global")));
  EXPECT_FALSE(Compute(Client("sqs", std::nullopt))->builtins.contains("AWS::Region"));
  // The profile's region when the client names none.
  EXPECT_EQ(Compute(Client("sqs", std::nullopt), {{"region", Plain("ca-central-1")}})->builtins.at("AWS::Region"),
            ParamValue(std::string("ca-central-1")));
}

TEST(EndpointBuiltinsTest, StsGlobalEndpoint) {
  absl::StatusOr<EndpointConfig> config =
      Compute(Client("sts", "ap-south-1"), {{"sts_regional_endpoints", Plain("legacy")}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->builtins.at("AWS::STS::UseGlobalEndpoint"), ParamValue(true));
  config = Compute(Client("sts", "ap-east-1"), {{"sts_regional_endpoints", Plain("legacy")}});
  EXPECT_EQ(config->builtins.at("AWS::STS::UseGlobalEndpoint"), ParamValue(false));
}

TEST(EndpointBuiltinsTest, RefusedSettings) {
  EXPECT_EQ(Compute(Client("sqs", "us east 1")).status().message(),
            "Provided region_name 'us east 1' doesn't match a supported format.");
  EXPECT_EQ(Compute(Client("sqs", "us-east-1!")).status().message(),
            "Provided region_name 'us-east-1!' doesn't match a supported format.");
  EXPECT_FALSE(Compute(Client("sqs", "-us-east-1")).ok());
  EXPECT_FALSE(Compute(Client("sqs", "123")).ok());
  EXPECT_TRUE(Compute(Client("sqs", "")).ok());  // botocore's pattern allows an empty name
  EXPECT_EQ(Compute(Client("sqs", "us-east-1"), {{"sts_regional_endpoints", Plain("global")}}).status().message(),
            "STS regional endpoints option global is invalid. Valid options are: \"legacy\", \"regional\"");
  EXPECT_EQ(Compute(Client("sqs", "us-east-1"), {}, {{"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "yes"}}).status().message(),
            "S3 us-east-1 regional endpoint option yes is invalid. Valid options are: \"legacy\", \"regional\"");
  EXPECT_EQ(Compute(Client("sqs", "us-east-1"), {{"account_id_endpoint_mode", Plain("Sometimes")}}).status().message(),
            "The configured value 'sometimes' for 'account_id_endpoint_mode' is invalid. Valid values are: "
            "('preferred', 'disabled', 'required').");
  EXPECT_FALSE(Compute(Client("sqs", "us-east-1"), {}, {{"AWS_ENDPOINT_URL", "https://bad host/"}}).ok());
  ClientEndpointOptions unsigned_client = Client("dynamodb", "us-east-1");
  unsigned_client.unsigned_requests = true;
  EXPECT_EQ(Compute(unsigned_client)->builtins.at("AWS::Auth::AccountIdEndpointMode"),
            ParamValue(std::string("disabled")));
}

TEST(EndpointBuiltinsTest, ServiceIds) {
  EXPECT_EQ(ConfiguredEndpointServiceId("elbv2"), "elastic_load_balancing_v2");
  EXPECT_EQ(ConfiguredEndpointServiceId("sso-oidc"), "sso_oidc");
  EXPECT_EQ(ConfiguredEndpointServiceId("runtime.sagemaker"), "sagemaker_runtime");
  EXPECT_EQ(ConfiguredEndpointServiceId("s3"), "s3");
}

TEST(EndpointBuiltinsTest, S3PerCallCustomisation) {
  Builtins builtins = {{"AWS::Region", std::string("us-east-1")}, {"AWS::S3::ForcePathStyle", false}};
  CustomizeS3Builtins("GetBucketLocation", std::string("bucket"), false, &builtins);
  EXPECT_EQ(builtins.at("AWS::S3::ForcePathStyle"), ParamValue(true));
  builtins["AWS::S3::ForcePathStyle"] = true;
  CustomizeS3Builtins("GetObject", std::string("arn:aws:s3:us-west-2:123456789012:accesspoint:ap"), true, &builtins);
  EXPECT_EQ(builtins.at("AWS::S3::ForcePathStyle"), ParamValue(false));
  EXPECT_EQ(builtins.at("AWS::Region"), ParamValue(std::string("us-east-1")));
  // A presigned URL for a virtual-hostable bucket goes to the global endpoint.
  CustomizeS3Builtins("GetObject", std::string("bucket"), true, &builtins);
  EXPECT_EQ(builtins.at("AWS::Region"), ParamValue(std::string("aws-global")));
  EXPECT_EQ(builtins.at("AWS::S3::UseGlobalEndpoint"), ParamValue(true));
  Builtins dotted = {{"AWS::Region", std::string("us-east-1")}, {"AWS::S3::ForcePathStyle", false}};
  CustomizeS3Builtins("GetObject", std::string("my.bucket"), true, &dotted);
  EXPECT_EQ(dotted.at("AWS::Region"), ParamValue(std::string("us-east-1")));
}

// With endpoints.json, as botocore creates clients (values from botocore
// 1.43.11 run on the same configuration).
class LegacyEndpointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<nlohmann::json> data = testing::Models().LoadDataFile("endpoints");
    ASSERT_TRUE(data.ok()) << data.status();
    absl::StatusOr<std::shared_ptr<const LegacyEndpoints>> legacy = LegacyEndpoints::FromJson(*data);
    ASSERT_TRUE(legacy.ok()) << legacy.status();
    legacy_ = *legacy;
  }

  absl::StatusOr<EndpointConfig> Compute(ClientEndpointOptions options, const config::Profile& profile = {}) {
    return ComputeEndpointConfig(options, &profile, nullptr, Env({}), legacy_.get());
  }

  std::shared_ptr<const LegacyEndpoints> legacy_;
};

TEST_F(LegacyEndpointsTest, SigningScopesAndRegions) {
  absl::StatusOr<EndpointConfig> iam = Compute(Client("iam", "us-west-2"));
  ASSERT_TRUE(iam.ok()) << iam.status();
  EXPECT_EQ(iam->legacy->signing_region, "us-east-1");  // credentialScope of the global endpoint
  EXPECT_EQ(iam->legacy->endpoint_url, "https://iam.amazonaws.com");
  EXPECT_EQ(iam->builtins.at("AWS::Region"), ParamValue(std::string("us-west-2")));

  absl::StatusOr<EndpointConfig> route53 = Compute(Client("route53", std::nullopt));
  ASSERT_TRUE(route53.ok()) << route53.status();
  EXPECT_EQ(route53->builtins.at("AWS::Region"), ParamValue(std::string("aws-global")));
  EXPECT_EQ(route53->legacy->signing_region, "us-east-1");

  absl::StatusOr<EndpointConfig> s3 = Compute(Client("s3", std::nullopt));
  ASSERT_TRUE(s3.ok()) << s3.status();
  EXPECT_EQ(s3->builtins.at("AWS::Region"), ParamValue(std::string("us-east-1")));
  EXPECT_EQ(s3->legacy->partition, "aws");

  absl::StatusOr<EndpointConfig> gov = Compute(Client("s3", "us-gov-west-1"));
  ASSERT_TRUE(gov.ok()) << gov.status();
  EXPECT_EQ(gov->legacy->partition, "aws-us-gov");
  EXPECT_FALSE(ShouldPresignToGlobalEndpoint(*gov));
  EXPECT_TRUE(ShouldPresignToGlobalEndpoint(*s3));

  absl::StatusOr<EndpointConfig> sts =
      Compute(Client("sts", "ap-south-1"), {{"sts_regional_endpoints", Plain("legacy")}});
  ASSERT_TRUE(sts.ok()) << sts.status();
  EXPECT_EQ(sts->legacy->endpoint_url, "https://sts.amazonaws.com");
  EXPECT_EQ(sts->legacy->signing_region, "us-east-1");
}

TEST_F(LegacyEndpointsTest, ClientsBotocoreRefuses) {
  EXPECT_EQ(Compute(Client("sqs", std::nullopt)).status().message(), "You must specify a region.");
  ClientEndpointOptions dualstack = Client("codeguruprofiler", "eu-isoe-west-1");
  dualstack.use_dualstack_endpoint = true;
  EXPECT_EQ(Compute(dualstack).status().message(),
            "Unable to construct a modeled endpoint with the following variant(s) ['dualstack']: ");
  // Dual-stack skips aws-iso, then forces the aws partition: no error, and
  // the client believes it is in aws.
  ClientEndpointOptions iso = Client("sqs", "us-iso-east-1");
  iso.use_dualstack_endpoint = true;
  absl::StatusOr<EndpointConfig> config = Compute(iso);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->legacy->partition, "aws");
  EXPECT_EQ(config->legacy->endpoint_url, "https://sqs.us-iso-east-1.api.aws");
}

TEST(EndpointParametersTest, Precedence) {
  const std::vector<ParameterDefinition> definitions = {
      {"A", ParameterType::kString, "AWS::Region", std::nullopt, false, false},
      {"B", ParameterType::kString, "AWS::Region", std::nullopt, false, false},
      {"C", ParameterType::kString, "AWS::Region", std::nullopt, false, false},
      {"D", ParameterType::kString, "AWS::Region", std::nullopt, false, false},
      {"E", ParameterType::kString, "AWS::Region", std::nullopt, false, false},
      {"F", ParameterType::kString, std::nullopt, std::nullopt, false, false},
  };
  OperationEndpointInputs operation;
  operation.static_context = {{"A", std::string("static")}};
  operation.context = {{"A", std::string("x")}, {"B", std::string("context")}};
  operation.operation_context = {{"B", std::string("x")}, {"C", std::string("operation")}};
  const EndpointParams client = {{"C", std::string("x")}, {"D", std::string("client")}};
  const Builtins builtins = {{"AWS::Region", std::string("builtin")}};
  absl::StatusOr<EndpointParams> params = BuildEndpointParams(definitions, operation, client, builtins);
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(*params, (EndpointParams{{"A", std::string("static")},
                                     {"B", std::string("context")},
                                     {"C", std::string("operation")},
                                     {"D", std::string("client")},
                                     {"E", std::string("builtin")}}));
  // The per-client binding gives the same set.
  absl::StatusOr<ClientParamBinding> binding = ClientParamBinding::Create(definitions, client, builtins);
  ASSERT_TRUE(binding.ok()) << binding.status();
  absl::InlinedVector<ParamRef, 16> refs;
  binding->Bind(operation, &refs);
  EndpointParams bound;
  for (const ParamRef& ref : refs) bound.emplace(std::string(ref.name), *ref.value);
  EXPECT_EQ(bound, *params);
  binding->Bind(OperationEndpointInputs{}, &refs);
  ASSERT_EQ(refs.size(), 5u);  // C and D from the client, the rest built-ins; F unset
  EXPECT_EQ(*refs[2].value, ParamValue(std::string("x")));

  const std::vector<ParameterDefinition> unknown = {
      {"X", ParameterType::kString, "AWS::Unknown", std::nullopt, false, false}};
  EXPECT_EQ(BuildEndpointParams(unknown, {}, {}, builtins).status().message(),
            "Unknown builtin variable name: AWS::Unknown");
  EXPECT_FALSE(ClientParamBinding::Create(unknown, {}, builtins).ok());
}

}  // namespace
}  // namespace awsd::endpoints
