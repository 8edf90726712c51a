// Against the installed botocore's data folder: every service model parses,
// names resolve as the AWS CLI names them, unknown names suggest close ones.

#include "daemon/model/model_registry.h"

#include <thread>

#include "gtest/gtest.h"

namespace awsd::model {
namespace {

ModelRegistry& Registry() {
  static ModelRegistry registry(ModelFiles(ModelSearchPath({}, config::ProcessEnvironment())));
  return registry;
}

TEST(ModelRegistryTest, FindsTheInstalledModels) {
  const std::vector<std::string> services = Registry().AvailableServices();
  ASSERT_GT(services.size(), 400u) << "botocore's data folder was not found";
}

TEST(ModelRegistryTest, EveryServiceModelParses) {
  int loaded = 0;
  for (const std::string& name : Registry().AvailableServices()) {
    absl::StatusOr<std::shared_ptr<const ServiceModel>> service = Registry().Service(name);
    ASSERT_TRUE(service.ok()) << name << ": " << service.status();
    EXPECT_FALSE((*service)->operation_names().empty()) << name;
    for (const std::string& op_name : (*service)->operation_names()) {
      const Operation* op = *(*service)->FindOperation(op_name);
      if (op->input) {
        EXPECT_NE(op->input->shape, nullptr);
      }
    }
    ++loaded;
  }
  EXPECT_GT(loaded, 400);
}

TEST(ModelRegistryTest, CliNamesAndSharedInstances) {
  auto s3 = Registry().Service("s3api");
  ASSERT_TRUE(s3.ok()) << s3.status();
  EXPECT_EQ((*s3)->service_name(), "s3");
  EXPECT_EQ((*s3)->protocol(), Protocol::kRestXml);
  EXPECT_EQ(Registry().Service("s3").value().get(), s3->get());  // parsed once, shared
  EXPECT_EQ(Registry().Service("configservice").value()->service_name(), "config");
  EXPECT_EQ(Registry().Service("deploy").value()->service_name(), "codedeploy");
  EXPECT_EQ(CliNameOfService("s3"), "s3api");
  EXPECT_EQ(Registry().Service("ec2").value()->protocol(), Protocol::kEc2);
  EXPECT_EQ(Registry().Service("sqs").value()->protocol(), Protocol::kJson);  // json listed before query
}

TEST(ModelRegistryTest, UnknownServiceSuggestsCloseNames) {
  absl::StatusOr<std::shared_ptr<const ServiceModel>> service = Registry().Service("dynamodbb");
  ASSERT_TRUE(absl::IsNotFound(service.status()));
  EXPECT_NE(service.status().message().find("did you mean: dynamodb"), std::string::npos) << service.status();
  EXPECT_NE(Registry().Service("s3apii").status().message().find("s3api"), std::string::npos);
}

TEST(ModelRegistryTest, PaginatorsAndWaitersOfTheSameVersion) {
  auto paginators = Registry().Paginators("s3api");
  ASSERT_TRUE(paginators.ok()) << paginators.status();
  EXPECT_TRUE((**paginators)["pagination"].contains("ListObjectsV2"));
  auto waiters = Registry().Waiters("s3");
  ASSERT_TRUE(waiters.ok());
  EXPECT_TRUE((**waiters)["waiters"].contains("ObjectExists"));
  // ec2's paginators-1.sdk-extras.json is merged in.
  EXPECT_TRUE((**Registry().Paginators("ec2"))["pagination"].contains("DescribeInstances"));
}

TEST(ModelRegistryTest, ConcurrentFirstUseParsesOnce) {
  ModelRegistry registry(ModelFiles(ModelSearchPath({}, config::ProcessEnvironment())));
  std::vector<const ServiceModel*> seen(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] { seen[i] = registry.Service("dynamodb").value().get(); });
  }
  for (auto& t : threads) t.join();
  for (const ServiceModel* s : seen) EXPECT_EQ(s, seen[0]);
}

}  // namespace
}  // namespace awsd::model
