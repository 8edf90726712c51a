#include "daemon/signing/signing_key_cache.h"

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "daemon/signing/sigv4_signer.h"
#include "gtest/gtest.h"

namespace awsd::signing {
namespace {

const Secret kSecret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

std::string Hex(const KeyBytes& key) {
  std::string out;
  AppendHex(key.data(), key.size(), &out);
  return out;
}

std::string Derived(const Secret& secret, std::string_view date, std::string_view region, std::string_view service) {
  KeyBytes key;
  EXPECT_TRUE(DeriveSigningKey(secret, date, region, service, &key));
  return Hex(key);
}

TEST(SigningKeyCacheTest, DerivesOnceThenHits) {
  SigningKeyCache cache;
  KeyBytes key;
  ASSERT_TRUE(cache.Get("AKID", kSecret, "20120215", "us-east-1", "iam", &key));
  EXPECT_EQ(Hex(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 0u);
  KeyBytes again;
  ASSERT_TRUE(cache.Get("AKID", kSecret, "20120215", "us-east-1", "iam", &again));
  EXPECT_EQ(Hex(again), Hex(key));
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SigningKeyCacheTest, EveryScopePartIsPartOfTheKey) {
  SigningKeyCache cache;
  KeyBytes key;
  ASSERT_TRUE(cache.Get("AKID", kSecret, "20120215", "us-east-1", "iam", &key));
  ASSERT_TRUE(cache.Get("AKID", kSecret, "20120216", "us-east-1", "iam", &key));
  EXPECT_EQ(Hex(key), Derived(kSecret, "20120216", "us-east-1", "iam"));
  ASSERT_TRUE(cache.Get("AKID", kSecret, "20120215", "eu-west-1", "iam", &key));
  EXPECT_EQ(Hex(key), Derived(kSecret, "20120215", "eu-west-1", "iam"));
  ASSERT_TRUE(cache.Get("AKID", kSecret, "20120215", "us-east-1", "s3", &key));
  EXPECT_EQ(Hex(key), Derived(kSecret, "20120215", "us-east-1", "s3"));
  ASSERT_TRUE(cache.Get("AKID2", kSecret, "20120215", "us-east-1", "iam", &key));
  // Parts are delimited, so ("us-east-1", "iam") and ("us-east-1i", "am")
  // cannot collide.
  ASSERT_TRUE(cache.Get("AKID", kSecret, "20120215", "us-east-1i", "am", &key));
  EXPECT_EQ(Hex(key), Derived(kSecret, "20120215", "us-east-1i", "am"));
  EXPECT_EQ(cache.misses(), 6u);
  EXPECT_EQ(cache.size(), 6u);
}

TEST(SigningKeyCacheTest, ANewSecretForTheSameKeyIdIsNotServedTheOldKey) {
  SigningKeyCache cache;
  const Secret other("another-secret-entirely");
  KeyBytes key;
  ASSERT_TRUE(cache.Get("AKID", kSecret, "20120215", "us-east-1", "iam", &key));
  ASSERT_TRUE(cache.Get("AKID", other, "20120215", "us-east-1", "iam", &key));
  EXPECT_EQ(Hex(key), Derived(other, "20120215", "us-east-1", "iam"));
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.size(), 1u);  // replaced, not added
  ASSERT_TRUE(cache.Get("AKID", other, "20120215", "us-east-1", "iam", &key));
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(SigningKeyCacheTest, EvictsTheLeastRecentlyUsedWhenFull) {
  SigningKeyCache cache(2);
  KeyBytes key;
  ASSERT_TRUE(cache.Get("A", kSecret, "20120215", "us-east-1", "iam", &key));
  ASSERT_TRUE(cache.Get("B", kSecret, "20120215", "us-east-1", "iam", &key));
  ASSERT_TRUE(cache.Get("A", kSecret, "20120215", "us-east-1", "iam", &key));  // A is now the most recent
  ASSERT_TRUE(cache.Get("C", kSecret, "20120215", "us-east-1", "iam", &key));  // evicts B
  EXPECT_EQ(cache.size(), 2u);
  const uint64_t misses = cache.misses();
  ASSERT_TRUE(cache.Get("A", kSecret, "20120215", "us-east-1", "iam", &key));
  EXPECT_EQ(cache.misses(), misses);
  ASSERT_TRUE(cache.Get("B", kSecret, "20120215", "us-east-1", "iam", &key));
  EXPECT_EQ(cache.misses(), misses + 1);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
}

TEST(SigningKeyCacheTest, IsSafeUnderConcurrentUse) {
  SigningKeyCache cache(3);  // smaller than the scope count: evictions race with hits
  const char* regions[] = {"us-east-1", "us-west-2", "eu-west-1", "ap-south-1"};
  std::vector<std::string> want;
  for (const char* region : regions) want.push_back(Derived(kSecret, "20240101", region, "s3"));
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const size_t r = (t + static_cast<size_t>(i)) % 4;
        KeyBytes key;
        if (!cache.Get("AKID", kSecret, "20240101", regions[r], "s3", &key) || Hex(key) != want[r]) ++wrong[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : wrong) EXPECT_EQ(count, 0);
  EXPECT_LE(cache.size(), 3u);
  EXPECT_EQ(cache.hits() + cache.misses(), 4000u);
}

}  // namespace
}  // namespace awsd::signing
