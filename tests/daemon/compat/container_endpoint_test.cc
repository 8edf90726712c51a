#include "daemon/compat/container_endpoint.h"

#include <gtest/gtest.h>

#include "fake_credentials.h"
#include "nlohmann/json.hpp"

namespace awsd::compat {
namespace {

using testing::AllowAll;
using testing::FakeSource;
using testing::FixedClock;

class ContainerEndpointTest : public ::testing::Test {
 protected:
  ContainerEndpoint Make(AuthorizeCompatAccess authorize = AllowAll()) {
    std::vector<ContainerProfileToken> tokens;
    tokens.push_back({"dev", Secret("dev-token-0123456789")});
    tokens.push_back({"ops", Secret("ops-token-0123456789")});
    return ContainerEndpoint(std::move(tokens), FakeSource(), std::move(authorize), FixedClock(&now_));
  }
  static HttpRequest Get(std::string authorization = "") {
    HttpRequest request{"GET", "/v1/credentials", {}};
    if (!authorization.empty()) request.headers["authorization"] = authorization;
    return request;
  }
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::from_time_t(1700000000);
  ConnectionInfo connection_{40000, 1000};
};

TEST_F(ContainerEndpointTest, RightTokenGetsTheProfilesCredentialsAsEcsWritesThem) {
  HttpResponse response = Make().Handle(Get("dev-token-0123456789"), connection_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto document = nlohmann::json::parse(response.body);
  EXPECT_EQ(document["AccessKeyId"], "ASIAEXAMPLEEXAMPLE12");
  EXPECT_EQ(document["SecretAccessKey"], testing::kSecret);
  EXPECT_EQ(document["Token"], testing::kToken);
  EXPECT_EQ(document["Expiration"], "2027-01-15T08:00:00Z");
}

TEST_F(ContainerEndpointTest, MissingTokenIs401AndUnknownTokenIs403WithoutSecrets) {
  ContainerEndpoint endpoint = Make();
  HttpResponse missing = endpoint.Handle(Get(), connection_);
  EXPECT_EQ(missing.status, 401);
  HttpResponse wrong = endpoint.Handle(Get("dev-token-012345678X"), connection_);
  EXPECT_EQ(wrong.status, 403);
  for (const HttpResponse* response : {&missing, &wrong}) {
    EXPECT_EQ(response->body.find(testing::kSecret), std::string::npos);
    EXPECT_EQ(response->body.find("dev-token"), std::string::npos);
    EXPECT_TRUE(nlohmann::json::parse(response->body).contains("code"));
  }
}

TEST_F(ContainerEndpointTest, TheHookSeesProfileAndUidAndCanRefuse) {
  CompatAccess seen;
  ContainerEndpoint endpoint = Make([&](const CompatAccess& access) {
    seen = access;
    return CompatDecision{false, "rule 'test': no"};
  });
  HttpResponse response = endpoint.Handle(Get("ops-token-0123456789"), connection_);
  EXPECT_EQ(response.status, 403);
  EXPECT_NE(response.body.find("rule 'test': no"), std::string::npos);
  EXPECT_EQ(seen.endpoint, "container");
  EXPECT_EQ(seen.profile, "ops");
  EXPECT_EQ(seen.caller_uid, 1000u);
}

TEST_F(ContainerEndpointTest, SourceErrorIs503AndOtherMethodsOrForwardedAreRefused) {
  ContainerEndpoint endpoint = Make();
  EXPECT_EQ(endpoint.Handle(Get("ops-token-0123456789"), connection_).status, 503);
  HttpRequest post = Get("dev-token-0123456789");
  post.method = "POST";
  EXPECT_EQ(endpoint.Handle(post, connection_).status, 405);
  HttpRequest forwarded = Get("dev-token-0123456789");
  forwarded.headers["x-forwarded-for"] = "10.0.0.1";
  EXPECT_EQ(endpoint.Handle(forwarded, connection_).status, 403);
}

TEST_F(ContainerEndpointTest, StaticKeysGetAnExpirationAnHourAhead) {
  std::vector<ContainerProfileToken> tokens;
  tokens.push_back({"static", Secret("static-token-0123456789")});
  ContainerEndpoint endpoint(
      std::move(tokens),
      [](const std::string&) -> absl::StatusOr<std::shared_ptr<const credentials::Credentials>> {
        auto credentials = std::make_shared<credentials::Credentials>();
        credentials->access_key_id = "AKIAEXAMPLE";
        credentials->secret_access_key = Secret("s");
        return credentials;
      },
      AllowAll(), FixedClock(&now_));
  auto document = nlohmann::json::parse(endpoint.Handle(Get("static-token-0123456789"), connection_).body);
  EXPECT_EQ(document["Token"], "");
  EXPECT_EQ(document["Expiration"], "2023-11-14T23:13:20Z");
}

}  // namespace
}  // namespace awsd::compat
