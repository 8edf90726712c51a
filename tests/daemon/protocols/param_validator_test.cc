// botocore's ParamValidationError reports, word for word (the expected texts
// are what botocore 1.43.11 prints for the same parameters on the same
// models); the serializer differential compares many more.

#include "daemon/protocols/param_validator.h"

#include "daemon/model/model_registry.h"
#include "gtest/gtest.h"

namespace awsd::protocols {
namespace {

std::string Report(const char* service, const char* operation, const char* params) {
  static const model::ModelRegistry registry(
      model::ModelFiles(model::ModelSearchPath({}, config::ProcessEnvironment())));
  auto model = registry.Service(service);
  EXPECT_TRUE(model.ok()) << model.status();
  const model::Operation& op = **(*model)->FindOperation(operation);
  const absl::Status status = ValidateParameters(Value::parse(params), *op.input);
  return status.ok() ? "" : std::string(status.message());
}

TEST(ParamValidatorTest, EveryProblemInOneReport) {
  EXPECT_EQ(Report("dynamodb", "GetItem", R"({"TableName": "", "Key": {"id": {"S": 1}}, "Bogus": 1})"),
            "Parameter validation failed:\n"
            "Unknown parameter in input: \"Bogus\", must be one of: TableName, Key, AttributesToGet, ConsistentRead, "
            "ReturnConsumedCapacity, ProjectionExpression, ExpressionAttributeNames\n"
            "Invalid length for parameter TableName, value: 0, valid min length: 1\n"
            "Invalid type for parameter Key.id.S, value: 1, type: <class 'int'>, valid types: <class 'str'>");
  EXPECT_EQ(Report("s3", "PutObject", R"({"Key": "k", "ContentLength": "5", "Metadata": {"a": 1}})"),
            "Parameter validation failed:\n"
            "Missing required parameter in input: \"Bucket\"\n"
            "Invalid type for parameter ContentLength, value: 5, type: <class 'str'>, valid types: <class 'int'>\n"
            "Invalid type for parameter Metadata.a, value: 1, type: <class 'int'>, valid types: <class 'str'>");
}

TEST(ParamValidatorTest, RangesNumbersAndTimestamps) {
  EXPECT_EQ(Report("dynamodb", "Query", R"({"TableName": "tbl", "Limit": 0})"),
            "Parameter validation failed:\nInvalid value for parameter Limit, value: 0, valid min value: 1");
  EXPECT_EQ(
      Report("cloudwatch", "PutMetricData",
             R"({"Namespace": "n", "MetricData": [{"MetricName": "m", "Value": "x", "Timestamp": "not a time"}]})"),
      "Parameter validation failed:\n"
      "Invalid type for parameter MetricData[0].Value, value: x, type: <class 'str'>, valid types: <class "
      "'float'>, <class 'decimal.Decimal'>, <class 'int'>\n"
      "Invalid type for parameter MetricData[0].Timestamp, value: not a time, type: <class 'str'>, valid types: "
      "<class 'datetime.datetime'>, timestamp-string");
  EXPECT_EQ(Report("dynamodb", "Query", R"({"TableName": "tbl", "Limit": 5})"), "");
}

TEST(ParamValidatorTest, DeepNestingIsRefusedNotRecursedInto) {
  std::string deep = R"({"Namespace": "n", "MetricData": [{"MetricName": "m", "Dimensions": )";
  for (int i = 0; i < 100000; ++i) deep += "[";
  for (int i = 0; i < 100000; ++i) deep += "]";
  deep += "}]}";
  EXPECT_NE(Report("cloudwatch", "PutMetricData", deep.c_str()), "");
}

}  // namespace
}  // namespace awsd::protocols
