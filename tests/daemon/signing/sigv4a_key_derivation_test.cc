#include "daemon/signing/sigv4a_key_derivation.h"

#include <string>

#include "daemon/signing/crypto.h"
#include "daemon/signing/sigv4a_signer.h"
#include "gtest/gtest.h"

namespace awsd::signing {
namespace {

const Secret kSecret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

// The public key of AKIDEXAMPLE's SigV4a key, from the aws-c-auth suite's
// public-key.json.
constexpr std::string_view kPublicX = "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1";
constexpr std::string_view kPublicY = "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518";

std::string Hex(std::string_view bytes) {
  std::string out;
  AppendHex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), &out);
  return out;
}

TEST(SigV4aKeyDerivationTest, DerivesTheSuitesPublicKey) {
  absl::StatusOr<EcKey> key = DeriveSigV4aKey("AKIDEXAMPLE", kSecret);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(Hex(key->PublicPoint()), "04" + std::string(kPublicX) + std::string(kPublicY));
}

TEST(SigV4aKeyDerivationTest, KeyDependsOnKeyIdAndSecret) {
  absl::StatusOr<EcKey> a = DeriveSigV4aKey("AKIDEXAMPLE", kSecret);
  absl::StatusOr<EcKey> b = DeriveSigV4aKey("AKIDEXAMPLF", kSecret);
  absl::StatusOr<EcKey> c = DeriveSigV4aKey("AKIDEXAMPLE", Secret("other"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_NE(a->PublicPoint(), b->PublicPoint());
  EXPECT_NE(a->PublicPoint(), c->PublicPoint());
}

TEST(SigV4aKeyDerivationTest, SignaturesVerifyAndTamperingIsCaught) {
  absl::StatusOr<EcKey> key = DeriveSigV4aKey("AKIDEXAMPLE", kSecret);
  ASSERT_TRUE(key.ok());
  absl::StatusOr<EcKey> public_key = EcPublicKeyFromPoint(key->PublicPoint());
  ASSERT_TRUE(public_key.ok());
  std::string signature;
  ASSERT_TRUE(AppendSigV4aSignature(*key, "string to sign", &signature));
  EXPECT_TRUE(VerifySigV4aSignature(*public_key, "string to sign", signature));
  EXPECT_FALSE(VerifySigV4aSignature(*public_key, "string to sigN", signature));
  EXPECT_FALSE(VerifySigV4aSignature(*public_key, "string to sign", "00" + signature));
  EXPECT_FALSE(VerifySigV4aSignature(*public_key, "string to sign", "not hex"));
  // ECDSA is randomised; both signatures are valid.
  std::string second;
  ASSERT_TRUE(AppendSigV4aSignature(*key, "string to sign", &second));
  EXPECT_NE(signature, second);
  EXPECT_TRUE(VerifySigV4aSignature(*public_key, "string to sign", second));
}

TEST(SigV4aKeyDerivationTest, RejectsBadPublicPoints) {
  EXPECT_FALSE(EcPublicKeyFromPoint("").ok());
  EXPECT_FALSE(EcPublicKeyFromPoint(std::string(65, '\x04')).ok());
}

TEST(SigV4aKeyCacheTest, CachesPerKeyIdAndSecret) {
  SigV4aKeyCache cache(2);
  absl::StatusOr<EcKey> first = cache.Get("AKIDEXAMPLE", kSecret);
  ASSERT_TRUE(first.ok());
  absl::StatusOr<EcKey> again = cache.Get("AKIDEXAMPLE", kSecret);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->get(), again->get());  // the same key object
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
  absl::StatusOr<EcKey> rotated = cache.Get("AKIDEXAMPLE", Secret("rotated"));
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(rotated->PublicPoint(), first->PublicPoint());
  EXPECT_EQ(cache.misses(), 2u);
  ASSERT_TRUE(cache.Get("B", kSecret).ok());
  ASSERT_TRUE(cache.Get("C", kSecret).ok());
  EXPECT_EQ(cache.size(), 2u);
  // A key handed out stays usable after its entry is evicted.
  std::string signature;
  EXPECT_TRUE(AppendSigV4aSignature(*first, "x", &signature));
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace awsd::signing
