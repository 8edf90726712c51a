#include "daemon/session/session_registry.h"

#include <gtest/gtest.h>

#include <map>

namespace awsd::session {
namespace {

credentials::EnvironmentLookup FakeEnvironment(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

SessionOptions Explicit(const std::string& key_id, const std::string& secret) {
  SessionOptions options;
  credentials::Credentials c;
  c.access_key_id = key_id;
  c.secret_access_key = Secret(secret);
  options.explicit_credentials = std::move(c);
  return options;
}

TEST(SessionRegistryTest, CreatedSessionsAreFoundByIdUntilClosed) {
  SessionRegistry registry(FakeEnvironment({}));
  auto session = registry.Create(Explicit("AKID", "SECRET"));
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_TRUE((*session)->id().starts_with("s-"));
  auto found = registry.Get((*session)->id());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->get(), session->get());
  auto credentials = (*found)->Credentials();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ((*credentials)->source, "explicit");

  registry.Close((*session)->id());
  EXPECT_EQ(registry.Get((*session)->id()).status().code(), absl::StatusCode::kNotFound);
  registry.Close((*session)->id());  // closing twice is fine
}

TEST(SessionRegistryTest, IdsAreUnique) {
  SessionRegistry registry(FakeEnvironment({}));
  auto a = registry.Create({});
  auto b = registry.Create({});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)->id(), (*b)->id());
}

TEST(SessionRegistryTest, InlineSessionsAreReusedForEqualOptionsOnly) {
  SessionRegistry registry(FakeEnvironment({}));
  auto a = registry.ForOptions(Explicit("AKID", "SECRET"));
  auto b = registry.ForOptions(Explicit("AKID", "SECRET"));
  auto c = registry.ForOptions(Explicit("AKID", "OTHER"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_NE(a->get(), c->get());
}

TEST(SessionRegistryTest, InlineCacheIsBounded) {
  SessionRegistry registry(FakeEnvironment({}), /*max_inline_sessions=*/2);
  auto first = registry.ForOptions(Explicit("A", "1"));
  registry.ForOptions(Explicit("B", "2")).IgnoreError();
  registry.ForOptions(Explicit("C", "3")).IgnoreError();
  auto again = registry.ForOptions(Explicit("A", "1"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_NE(first->get(), again->get()) << "the least recently used session should have been evicted";
}

TEST(SessionRegistryTest, ProfileAndRegionDefaultFromTheEnvironment) {
  SessionRegistry registry(FakeEnvironment({{"AWS_PROFILE", "dev"}, {"AWS_DEFAULT_REGION", "eu-west-1"}}));
  auto session = registry.ForOptions({});
  ASSERT_TRUE(session.ok());
  EXPECT_EQ((*session)->profile(), "dev");
  EXPECT_EQ((*session)->region(), "eu-west-1");
  SessionOptions named;
  named.profile = "prod";
  named.region = "us-west-2";
  auto explicit_session = registry.ForOptions(named);
  EXPECT_EQ((*explicit_session)->profile(), "prod");
  EXPECT_EQ((*explicit_session)->region(), "us-west-2");
}

TEST(SessionRegistryTest, NoCredentialsIsFailedPrecondition) {
  SessionRegistry registry(FakeEnvironment({}));
  auto session = registry.ForOptions({});
  ASSERT_TRUE(session.ok());
  EXPECT_EQ((*session)->Credentials().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SessionRegistryTest, ExplicitCredentialsNeedBothHalves) {
  SessionRegistry registry(FakeEnvironment({}));
  auto status = registry.Create(Explicit("AKID", "")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("explicit_credentials.secret_access_key"), std::string::npos);
}

}  // namespace
}  // namespace awsd::session
