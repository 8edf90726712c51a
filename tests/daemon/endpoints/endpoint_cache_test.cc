// The per-parameter-set cache: bounded, least recently used out first,
// shared safely between threads, and keyed so that different parameter sets
// never collide.

#include "daemon/endpoints/endpoint_cache.h"

#include <string>
#include <thread>
#include <vector>

#include "daemon/endpoints/endpoint_resolver.h"
#include "gtest/gtest.h"
#include "tests/daemon/endpoints/endpoint_test_support.h"

namespace awsd::endpoints {
namespace {

CachedResolution Endpoint(std::string url) {
  auto endpoint = std::make_shared<ResolvedEndpoint>();
  endpoint->url = std::move(url);
  return CachedResolution{absl::OkStatus(), endpoint};
}

TEST(EndpointCacheTest, EvictsTheLeastRecentlyUsed) {
  EndpointCache cache(2);
  cache.Insert("a", Endpoint("https://a"));
  cache.Insert("b", Endpoint("https://b"));
  CachedResolution found;
  ASSERT_TRUE(cache.Find("a", &found));  // a is now the most recent
  cache.Insert("c", Endpoint("https://c"));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Find("a", &found));
  EXPECT_EQ(found.endpoint->url, "https://a");
  EXPECT_FALSE(cache.Find("b", &found));
  EXPECT_TRUE(cache.Find("c", &found));
  EndpointCache off(0);
  off.Insert("a", Endpoint("https://a"));
  EXPECT_FALSE(off.Find("a", &found));
}

TEST(EndpointCacheTest, KeysDoNotCollide) {
  const auto key = [](const EndpointParams& params) {
    std::string out;
    AppendParamsKey(params, &out);
    return out;
  };
  EXPECT_NE(key({{"A", std::string("bc")}}), key({{"Ab", std::string("c")}}));
  EXPECT_NE(key({{"A", std::string("true")}}), key({{"A", true}}));
  EXPECT_NE(key({{"A", std::vector<std::string>{"a", "b"}}}), key({{"A", std::vector<std::string>{"ab"}}}));
  EXPECT_EQ(key({{"A", true}, {"B", false}}), key({{"B", false}, {"A", true}}));
}

TEST(EndpointCacheTest, ResolverCachesAndStaysBounded) {
  std::string error;
  absl::StatusOr<nlohmann::json> rule_set = testing::Models().LoadServiceFile("s3", "endpoint-rule-set-1");
  ASSERT_TRUE(rule_set.ok()) << rule_set.status();
  absl::StatusOr<std::shared_ptr<const EndpointResolver>> resolver =
      EndpointResolver::Create(*rule_set, testing::InstalledPartitions(&error), 64);
  ASSERT_TRUE(resolver.ok()) << resolver.status();
  const EndpointParams params = {{"Region", std::string("us-west-2")},
                                 {"UseFIPS", false},
                                 {"UseDualStack", false},
                                 {"Accelerate", false},
                                 {"Bucket", std::string("bucket")}};
  absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> first = (*resolver)->Resolve(params);
  absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> second = (*resolver)->Resolve(params);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());  // the same object: a cache hit
  EXPECT_EQ((*first)->url, "https://bucket.s3.us-west-2.amazonaws.com");

  // Eight threads, many distinct buckets: every answer right, size bounded.
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        EndpointParams mine = params;
        const std::string bucket = "bucket-" + std::to_string((t * 500 + i) % 300);
        mine["Bucket"] = bucket;
        absl::StatusOr<std::shared_ptr<const ResolvedEndpoint>> endpoint = (*resolver)->Resolve(mine);
        if (!endpoint.ok() || (*endpoint)->url != "https://" + bucket + ".s3.us-west-2.amazonaws.com") ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE((*resolver)->cache().size(), 64u);
}

}  // namespace
}  // namespace awsd::endpoints
