#include "daemon/signing/chunk_signer.h"

#include <chrono>
#include <string>

#include "daemon/signing/signer.h"
#include "daemon/signing/sigv4a_signer.h"
#include "gtest/gtest.h"

namespace awsd::signing {
namespace {

using std::chrono::sys_days;

// The example of the S3 API reference, "Signature Calculations for the
// Authorization Header: Transferring Payload in Multiple Chunks": a 66560
// byte object of 'a's uploaded as chunks of 65536 and 1024 bytes.
constexpr std::string_view kSeedSignature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
constexpr std::string_view kChunk1Signature = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";

credentials::Credentials DocCredentials() {
  credentials::Credentials credentials;
  credentials.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  return credentials;
}

SigningParams DocParams() {
  SigningParams params;
  params.service = "s3";
  params.region = "us-east-1";
  params.time = sys_days(std::chrono::year(2013) / 5 / 24);
  params.payload = PayloadSigning::kStreaming;
  params.normalize_path = false;
  params.double_encode_path = false;
  return params;
}

TEST(ChunkSignerTest, SignsTheSeedRequestOfTheS3Example) {
  http::HttpRequest request;
  request.method = "PUT";
  request.url = "https://s3.amazonaws.com/examplebucket/chunkObject.txt";
  request.headers = {
      {"Host", "s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"Content-Encoding", "aws-chunked"},
      {"x-amz-decoded-content-length", "66560"},
      {"Content-Length", "66824"},
  };
  Signer signer;
  absl::StatusOr<SigningResult> seed = signer.Sign(request, DocCredentials(), DocParams());
  ASSERT_TRUE(seed.ok()) << seed.status();
  EXPECT_EQ(seed->canonical_request,
            "PUT\n/examplebucket/chunkObject.txt\n\n"
            "content-encoding:aws-chunked\ncontent-length:66824\nhost:s3.amazonaws.com\n"
            "x-amz-content-sha256:STREAMING-AWS4-HMAC-SHA256-PAYLOAD\nx-amz-date:20130524T000000Z\n"
            "x-amz-decoded-content-length:66560\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
            "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;"
            "x-amz-storage-class\nSTREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  EXPECT_EQ(seed->signature, kSeedSignature);
}

TEST(ChunkSignerTest, ChainsTheS3ExampleChunks) {
  Signer signer;
  std::string string_to_sign;
  absl::StatusOr<std::string> first =
      signer.SignChunk(kSeedSignature, std::string(65536, 'a'), DocCredentials(), DocParams(), &string_to_sign);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, kChunk1Signature);
  EXPECT_EQ(string_to_sign,
            "AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" +
                std::string(kSeedSignature) +
                "\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a");
  absl::StatusOr<std::string> second =
      signer.SignChunk(*first, std::string(1024, 'a'), DocCredentials(), DocParams());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
  absl::StatusOr<std::string> last = signer.SignChunk(*second, "", DocCredentials(), DocParams());
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
  // Seed, then three chunks on one scope: one derivation.
  EXPECT_EQ(signer.key_cache().misses(), 1u);
}

TEST(ChunkSignerTest, RejectsABadPreviousSignature) {
  Signer signer;
  for (std::string_view bad : {"", "abc", "zz232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
                               "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a900"}) {
    absl::StatusOr<std::string> result = signer.SignChunk(bad, "x", DocCredentials(), DocParams());
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(result.status().message()).rfind("previous_signature: ", 0), 0u)
        << result.status();
  }
  SigningParams no_region = DocParams();
  no_region.region.clear();
  absl::StatusOr<std::string> result = signer.SignChunk(kSeedSignature, "x", DocCredentials(), no_region);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(std::string(result.status().message()).rfind("region: ", 0), 0u);
}

TEST(ChunkSignerTest, SigV4aChunksVerifyAndAcceptPaddedSignatures) {
  Signer signer;
  SigningParams params = DocParams();
  params.algorithm = Algorithm::kSigV4a;
  std::string string_to_sign;
  const std::string seed = "3045022100" + std::string(64, 'a') + "0220" + std::string(64, 'b');
  std::string padded = seed + std::string(144 - seed.size(), '*');
  absl::StatusOr<std::string> signature =
      signer.SignChunk(padded, "chunk", DocCredentials(), params, &string_to_sign);
  ASSERT_TRUE(signature.ok()) << signature.status();
  EXPECT_EQ(string_to_sign.substr(0, string_to_sign.find('\n')), "AWS4-ECDSA-P256-SHA256-PAYLOAD");
  EXPECT_NE(string_to_sign.find("\n20130524/s3/aws4_request\n" + seed + "\n"), std::string::npos);
  absl::StatusOr<EcKey> key = DeriveSigV4aKey("AKIAIOSFODNN7EXAMPLE", Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  ASSERT_TRUE(key.ok());
  absl::StatusOr<EcKey> public_key = EcPublicKeyFromPoint(key->PublicPoint());
  ASSERT_TRUE(public_key.ok());
  EXPECT_TRUE(VerifySigV4aSignature(*public_key, string_to_sign, *signature));
}

}  // namespace
}  // namespace awsd::signing
