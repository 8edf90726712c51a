#include "daemon/compat/imds_endpoint.h"

#include <gtest/gtest.h>

#include "fake_credentials.h"
#include "nlohmann/json.hpp"

namespace awsd::compat {
namespace {

class ImdsEndpointTest : public ::testing::Test {
 protected:
  HttpResponse PutToken(std::string ttl) {
    HttpRequest request{"PUT", "/latest/api/token", {}};
    if (!ttl.empty()) request.headers["x-aws-ec2-metadata-token-ttl-seconds"] = ttl;
    return endpoint_.Handle(request, connection_);
  }
  HttpResponse Get(std::string path, std::string token) {
    HttpRequest request{"GET", std::move(path), {}};
    if (!token.empty()) request.headers["x-aws-ec2-metadata-token"] = token;
    return endpoint_.Handle(request, connection_);
  }
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::from_time_t(1700000000);
  ConnectionInfo connection_{40000, 1000};
  ImdsEndpoint endpoint_{"dev", testing::FakeSource(), testing::AllowAll(), testing::FixedClock(&now_)};
};

TEST_F(ImdsEndpointTest, TokenThenRoleThenCredentials) {
  HttpResponse token = PutToken("21600");
  ASSERT_EQ(token.status, 200);
  EXPECT_GE(token.body.size(), 40u);
  HttpResponse roles = Get("/latest/meta-data/iam/security-credentials/", token.body);
  EXPECT_EQ(roles.status, 200);
  EXPECT_EQ(roles.body, "dev");
  HttpResponse credentials = Get("/latest/meta-data/iam/security-credentials/dev", token.body);
  ASSERT_EQ(credentials.status, 200);
  auto document = nlohmann::json::parse(credentials.body);
  EXPECT_EQ(document["Code"], "Success");
  EXPECT_EQ(document["Type"], "AWS-HMAC");
  EXPECT_EQ(document["AccessKeyId"], "ASIAEXAMPLEEXAMPLE12");
  EXPECT_EQ(document["SecretAccessKey"], testing::kSecret);
  EXPECT_EQ(document["Token"], testing::kToken);
  EXPECT_EQ(document["Expiration"], "2027-01-15T08:00:00Z");
  EXPECT_EQ(document["LastUpdated"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(Get("/latest/meta-data/iam/security-credentials/other", token.body).status, 404);
}

TEST_F(ImdsEndpointTest, NoTokenOrAWrongOrExpiredOneIs401) {
  EXPECT_EQ(Get("/latest/meta-data/iam/security-credentials/", "").status, 401);
  EXPECT_EQ(Get("/latest/meta-data/iam/security-credentials/dev", "made-up").status, 401);
  HttpResponse token = PutToken("60");
  EXPECT_EQ(Get("/latest/meta-data/iam/security-credentials/dev", token.body).status, 200);
  now_ += std::chrono::seconds(61);
  EXPECT_EQ(Get("/latest/meta-data/iam/security-credentials/dev", token.body).status, 401);
}

TEST_F(ImdsEndpointTest, TokenRequestsNeedAValidTtlAndNoForwarding) {
  EXPECT_EQ(PutToken("").status, 400);
  EXPECT_EQ(PutToken("0").status, 400);
  EXPECT_EQ(PutToken("21601").status, 400);
  EXPECT_EQ(PutToken("12x").status, 400);
  HttpRequest forwarded{"PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}}};
  forwarded.headers["x-forwarded-for"] = "10.0.0.1";
  EXPECT_EQ(endpoint_.Handle(forwarded, connection_).status, 403);
  HttpRequest get_token{"GET", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}}};
  EXPECT_EQ(endpoint_.Handle(get_token, connection_).status, 405);
}

TEST_F(ImdsEndpointTest, TokensAreDistinct) { EXPECT_NE(PutToken("60").body, PutToken("60").body); }

TEST_F(ImdsEndpointTest, RefusalByTheHookIs403) {
  ImdsEndpoint refusing(
      "dev", testing::FakeSource(),
      [](const CompatAccess& access) {
        return CompatDecision{access.endpoint != "imds", "no"};
      },
      testing::FixedClock(&now_));
  HttpRequest put{"PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}}};
  const std::string token = refusing.Handle(put, connection_).body;
  HttpRequest get{"GET", "/latest/meta-data/iam/security-credentials/dev", {{"x-aws-ec2-metadata-token", token}}};
  EXPECT_EQ(refusing.Handle(get, connection_).status, 403);
}

}  // namespace
}  // namespace awsd::compat
