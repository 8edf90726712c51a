#include "daemon/signing/signer.h"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "daemon/signing/sigv4a_signer.h"
#include "gtest/gtest.h"

namespace awsd::signing {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::sys_days;

constexpr std::string_view kSecretText = "SECRETwJalrXUtnFEMIK7MDENGbPxRfiCYzz";
constexpr std::string_view kTokenText = "TOKENzzAQoDYXdzEPTwEXAMPLEtc764bNrC9SAPBSM22";

credentials::Credentials TestCredentials(bool with_token = false) {
  credentials::Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = Secret(kSecretText);
  if (with_token) credentials.session_token = Secret(kTokenText);
  return credentials;
}

SigningParams TestParams() {
  SigningParams params;
  params.service = "service";
  params.region = "us-east-1";
  params.time = sys_days(std::chrono::year(2015) / 8 / 30) + hours(12) + std::chrono::minutes(36);
  return params;
}

http::HttpRequest Get(std::string url) {
  http::HttpRequest request;
  request.method = "GET";
  request.url = std::move(url);
  return request;
}

std::vector<std::string> HeaderValues(const http::HttpRequest& request, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& header : request.headers) {
    if (http::EqualsIgnoreCase(header.name, name)) values.push_back(header.value);
  }
  return values;
}

// Signs and expects an error whose message starts with `field` + ": ", and
// holds neither the secret nor the token.
void ExpectError(const http::HttpRequest& request, const credentials::Credentials& credentials,
                 const SigningParams& params, absl::StatusCode code, std::string_view field) {
  Signer signer;
  absl::StatusOr<SigningResult> result = signer.Sign(request, credentials, params);
  ASSERT_FALSE(result.ok()) << "expected an error on " << field;
  EXPECT_EQ(result.status().code(), code) << result.status();
  const std::string message(result.status().message());
  EXPECT_EQ(message.rfind(std::string(field) + ": ", 0), 0u) << message;
  EXPECT_EQ(message.find(kSecretText), std::string::npos) << message;
  EXPECT_EQ(message.find(kTokenText), std::string::npos) << message;
  EXPECT_EQ(message.find("TOKENzz"), std::string::npos) << message;
}

TEST(SignerErrorsTest, BadMethod) {
  for (std::string method : {"", "GE T", "GET\r\n", "G(ET"}) {
    http::HttpRequest request = Get("https://example.com/");
    request.method = method;
    ExpectError(request, TestCredentials(), TestParams(), absl::StatusCode::kInvalidArgument, "request.method");
  }
}

TEST(SignerErrorsTest, BadUrl) {
  for (std::string url : {"", "foo", "/just/a/path", "https://", "https:///path", "ftp://example.com/",
                          "https://exa mple.com/", "https://example.com:99999/", "https://example.com:80a/",
                          "https://[::1/", "https://example.com/a\nb", "https://example.com/\t"}) {
    ExpectError(Get(url), TestCredentials(), TestParams(), absl::StatusCode::kInvalidArgument, "request.url");
  }
  Signer signer;
  absl::StatusOr<SigningResult> result = signer.Sign(Get("foo"), TestCredentials(), TestParams());
  EXPECT_EQ(result.status().message(), "request.url: no host in 'foo'");
}

TEST(SignerErrorsTest, UrlErrorsDoNotEchoQueryOrUserinfo) {
  const std::string url = "ftp://user:TOKENzzpass@example.com/p?X-Amz-Security-Token=TOKENzz#frag";
  ExpectError(Get(url), TestCredentials(), TestParams(), absl::StatusCode::kInvalidArgument, "request.url");
  Signer signer;
  const std::string message(signer.Sign(Get(url), TestCredentials(), TestParams()).status().message());
  EXPECT_EQ(message.find("user"), std::string::npos) << message;
  EXPECT_EQ(message.find("X-Amz"), std::string::npos) << message;
  EXPECT_NE(message.find("ftp://example.com/p"), std::string::npos) << message;
}

TEST(SignerErrorsTest, BadHeaders) {
  const std::vector<http::Header> bad[] = {
      {{"X-Foo", "a\r\nInjected: yes"}},
      {{"X-Foo", "a\nb"}},
      {{"X-Foo", std::string("a\0b", 3)}},
      {{"", "value"}},
      {{"Bad Name", "value"}},
      {{"Bad:Name", "value"}},
      {{"X-Token", std::string(kTokenText) + "\r\n"}},
  };
  for (const auto& headers : bad) {
    http::HttpRequest request = Get("https://example.com/");
    request.headers = headers;
    ExpectError(request, TestCredentials(), TestParams(), absl::StatusCode::kInvalidArgument, "request.headers");
  }
}

TEST(SignerErrorsTest, MissingOrBadServiceAndRegion) {
  SigningParams params = TestParams();
  params.service.clear();
  ExpectError(Get("https://example.com/"), TestCredentials(), params, absl::StatusCode::kInvalidArgument,
              "service");
  params = TestParams();
  params.service = "s3/x";
  ExpectError(Get("https://example.com/"), TestCredentials(), params, absl::StatusCode::kInvalidArgument,
              "service");
  params = TestParams();
  params.region.clear();
  ExpectError(Get("https://example.com/"), TestCredentials(), params, absl::StatusCode::kInvalidArgument, "region");
  params.region = "us-east-1\r\nX: y";
  ExpectError(Get("https://example.com/"), TestCredentials(), params, absl::StatusCode::kInvalidArgument, "region");
  params.region = "us east";
  ExpectError(Get("https://example.com/"), TestCredentials(), params, absl::StatusCode::kInvalidArgument, "region");
}

TEST(SignerErrorsTest, PresignExpiryOutOfRange) {
  SigningParams params = TestParams();
  params.location = SignatureLocation::kQueryString;
  for (int64_t expires : {int64_t{0}, int64_t{-1}, int64_t{604801}, int64_t{1} << 40}) {
    params.expires_seconds = expires;
    ExpectError(Get("https://example.com/"), TestCredentials(), params, absl::StatusCode::kInvalidArgument,
                "expires_seconds");
  }
  // The bounds themselves are fine, and header signing ignores the field.
  Signer signer;
  for (int64_t expires : {int64_t{1}, int64_t{604800}}) {
    params.expires_seconds = expires;
    EXPECT_TRUE(signer.Sign(Get("https://example.com/"), TestCredentials(), params).ok());
  }
  params.location = SignatureLocation::kHeaders;
  params.expires_seconds = 0;
  EXPECT_TRUE(signer.Sign(Get("https://example.com/"), TestCredentials(), params).ok());
}

TEST(SignerErrorsTest, PresignRejectsStreamingAndExistingSigningParameters) {
  SigningParams params = TestParams();
  params.location = SignatureLocation::kQueryString;
  params.payload = PayloadSigning::kStreaming;
  ExpectError(Get("https://example.com/"), TestCredentials(), params, absl::StatusCode::kInvalidArgument,
              "payload_signing");
  params.payload = PayloadSigning::kSigned;
  for (std::string url : {"https://example.com/?X-Amz-Signature=abc", "https://example.com/?a=1&x-amz-date=1",
                          "https://example.com/?X-Amz-Security-Token=TOKENzz", "https://example.com/?X%2DAmz%2DExpires"}) {
    ExpectError(Get(url), TestCredentials(), params, absl::StatusCode::kInvalidArgument, "request.url");
  }
}

TEST(SignerErrorsTest, UnusableCredentials) {
  credentials::Credentials credentials = TestCredentials(true);
  credentials.access_key_id.clear();
  ExpectError(Get("https://example.com/"), credentials, TestParams(), absl::StatusCode::kFailedPrecondition,
              "credentials");
  credentials = TestCredentials(true);
  credentials.secret_access_key = Secret();
  ExpectError(Get("https://example.com/"), credentials, TestParams(), absl::StatusCode::kFailedPrecondition,
              "credentials");
  credentials = TestCredentials();
  credentials.session_token = Secret(std::string(kTokenText) + "\n");
  ExpectError(Get("https://example.com/"), credentials, TestParams(), absl::StatusCode::kFailedPrecondition,
              "credentials");
  credentials = TestCredentials();
  credentials.access_key_id = "AKID/EXAMPLE";
  ExpectError(Get("https://example.com/"), credentials, TestParams(), absl::StatusCode::kFailedPrecondition,
              "credentials");
}

TEST(SignerErrorsTest, SigningTimeOutOfRange) {
  SigningParams params = TestParams();
  params.time = std::chrono::system_clock::time_point(-std::chrono::hours(24));
  ExpectError(Get("https://example.com/"), TestCredentials(), params, absl::StatusCode::kInvalidArgument,
              "signing_time");
}

TEST(SignerTest, HeaderFormAddsTheSigningHeaders) {
  http::HttpRequest request = Get("https://Example.COM:443/a/../b%20c?x=1");
  request.headers = {{"Authorization", "stale"}, {"X-Amz-Date", "19990101T000000Z"}, {"My-Header", "  a   b "},
                     {"User-Agent", "test/1.0"}};
  request.body = "body";
  Signer signer;
  absl::StatusOr<SigningResult> result = signer.Sign(request, TestCredentials(true), TestParams());
  ASSERT_TRUE(result.ok()) << result.status();
  const http::HttpRequest& out = result->request;
  EXPECT_EQ(out.url, request.url);
  EXPECT_EQ(out.body, "body");
  EXPECT_EQ(HeaderValues(out, "Host"), std::vector<std::string>{"example.com"});
  EXPECT_EQ(HeaderValues(out, "X-Amz-Date"), std::vector<std::string>{"20150830T123600Z"});
  EXPECT_EQ(HeaderValues(out, "X-Amz-Security-Token"), std::vector<std::string>{std::string(kTokenText)});
  EXPECT_EQ(HeaderValues(out, "User-Agent"), std::vector<std::string>{"test/1.0"});
  EXPECT_TRUE(HeaderValues(out, "X-Amz-Content-SHA256").empty());
  const std::vector<std::string> authorization = HeaderValues(out, "Authorization");
  ASSERT_EQ(authorization.size(), 1u);
  EXPECT_EQ(authorization[0],
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;my-header;x-amz-date;x-amz-security-token, Signature=" +
                result->signature);
  EXPECT_EQ(result->canonical_request,
            "GET\n/b%2520c\nx=1\nhost:example.com\nmy-header:a b\nx-amz-date:20150830T123600Z\n"
            "x-amz-security-token:" + std::string(kTokenText) +
                "\n\nhost;my-header;x-amz-date;x-amz-security-token\n"
                "230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5");
  EXPECT_EQ(result->signature.size(), 64u);
  EXPECT_TRUE(result->warnings.empty());
}

TEST(SignerTest, HostHeaderKeepsANonDefaultPortAndIpv6Brackets) {
  Signer signer;
  for (const auto& [url, host] : std::vector<std::pair<std::string, std::string>>{
           {"http://example.com:80/", "example.com"},
           {"http://example.com:443/", "example.com:443"},
           {"https://user:pw@EXAMPLE.com:8443", "example.com:8443"},
           {"https://[2001:DB8::1]:9000/x", "[2001:db8::1]:9000"},
           {"https://[::1]/x", "[::1]"}}) {
    absl::StatusOr<SigningResult> result = signer.Sign(Get(url), TestCredentials(), TestParams());
    ASSERT_TRUE(result.ok()) << url << ": " << result.status();
    EXPECT_EQ(HeaderValues(result->request, "host"), std::vector<std::string>{host}) << url;
  }
  // A Host the caller set is signed as given.
  http::HttpRequest request = Get("https://example.com/");
  request.headers = {{"host", "Other.Example:1"}};
  absl::StatusOr<SigningResult> result = signer.Sign(request, TestCredentials(), TestParams());
  ASSERT_TRUE(result.ok());
  EXPECT_NE(result->canonical_request.find("\nhost:Other.Example:1\n"), std::string::npos);
  EXPECT_EQ(HeaderValues(result->request, "host").size(), 1u);
}

TEST(SignerTest, ADateHeaderReplacesXAmzDateAsInBotocore) {
  http::HttpRequest request = Get("https://example.com/");
  request.headers = {{"Date", "Mon, 01 Jan 2001 00:00:00 GMT"}, {"X-Amz-Date", "20010101T000000Z"}};
  Signer signer;
  absl::StatusOr<SigningResult> result = signer.Sign(request, TestCredentials(), TestParams());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(HeaderValues(result->request, "Date"), std::vector<std::string>{"Sun, 30 Aug 2015 12:36:00 -0000"});
  EXPECT_TRUE(HeaderValues(result->request, "X-Amz-Date").empty());
  EXPECT_NE(result->canonical_request.find("\ndate:Sun, 30 Aug 2015 12:36:00 -0000\n"), std::string::npos);
  EXPECT_NE(result->string_to_sign.find("\n20150830T123600Z\n"), std::string::npos);
}

TEST(SignerTest, MatchesTheS3DocumentedHeaderExample) {
  // S3 API reference, "Signature Calculations for the Authorization Header:
  // Transferring Payload in a Single Chunk", GET Object.
  credentials::Credentials credentials;
  credentials.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  SigningParams params;
  params.service = "s3";
  params.region = "us-east-1";
  params.time = sys_days(std::chrono::year(2013) / 5 / 24);
  params.content_sha256_header = true;
  params.normalize_path = false;
  params.double_encode_path = false;
  http::HttpRequest request = Get("https://examplebucket.s3.amazonaws.com/test.txt");
  request.headers = {{"Range", "bytes=0-9"}};
  Signer signer;
  absl::StatusOr<SigningResult> result = signer.Sign(request, credentials, params);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(HeaderValues(result->request, "x-amz-content-sha256"),
            std::vector<std::string>{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"});
}

TEST(SignerTest, MatchesTheS3DocumentedPresignedUrl) {
  // S3 API reference, "Authenticating Requests: Using Query Parameters".
  credentials::Credentials credentials;
  credentials.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  SigningParams params;
  params.service = "s3";
  params.region = "us-east-1";
  params.time = sys_days(std::chrono::year(2013) / 5 / 24);
  params.location = SignatureLocation::kQueryString;
  params.expires_seconds = 86400;
  params.payload = PayloadSigning::kUnsigned;
  params.normalize_path = false;
  params.double_encode_path = false;
  Signer signer;
  absl::StatusOr<SigningResult> result =
      signer.Sign(Get("https://examplebucket.s3.amazonaws.com/test.txt"), credentials, params);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->request.url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  // Presigning adds no signing headers (Host is listed for the caller).
  EXPECT_TRUE(HeaderValues(result->request, "Authorization").empty());
  EXPECT_TRUE(HeaderValues(result->request, "X-Amz-Date").empty());
}

TEST(SignerTest, PresignKeepsTheQueryAndFragmentAndCarriesTheToken) {
  SigningParams params = TestParams();
  params.location = SignatureLocation::kQueryString;
  Signer signer;
  absl::StatusOr<SigningResult> result =
      signer.Sign(Get("https://example.com/p?b=2&a=1#frag"), TestCredentials(true), params);
  ASSERT_TRUE(result.ok());
  const std::string& url = result->request.url;
  EXPECT_EQ(url.rfind("https://example.com/p?b=2&a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&", 0), 0u) << url;
  EXPECT_NE(url.find("&X-Amz-Security-Token=TOKENzzAQoDYXdzEPTwEXAMPLEtc764bNrC9SAPBSM22&X-Amz-Signature="),
            std::string::npos)
      << url;
  EXPECT_EQ(url.substr(url.size() - 5), "#frag");
  EXPECT_TRUE(HeaderValues(result->request, "X-Amz-Security-Token").empty());

  for (const auto& [in, prefix] : std::vector<std::pair<std::string, std::string>>{
           {"https://example.com", "https://example.com?X-Amz-Algorithm="},
           {"https://example.com/?", "https://example.com/?X-Amz-Algorithm="},
           {"https://example.com/?a=1&", "https://example.com/?a=1&X-Amz-Algorithm="}}) {
    result = signer.Sign(Get(in), TestCredentials(), params);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->request.url.rfind(prefix, 0), 0u) << result->request.url;
  }
}

TEST(SignerTest, PayloadModes) {
  Signer signer;
  http::HttpRequest request = Get("https://example.com/");
  request.body = "hello";
  SigningParams params = TestParams();

  absl::StatusOr<SigningResult> signed_body = signer.Sign(request, TestCredentials(), params);
  ASSERT_TRUE(signed_body.ok());
  EXPECT_EQ(signed_body->canonical_request.substr(signed_body->canonical_request.rfind('\n') + 1),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_TRUE(HeaderValues(signed_body->request, "x-amz-content-sha256").empty());

  params.payload = PayloadSigning::kUnsigned;
  absl::StatusOr<SigningResult> unsigned_body = signer.Sign(request, TestCredentials(), params);
  ASSERT_TRUE(unsigned_body.ok());
  EXPECT_TRUE(unsigned_body->canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_EQ(HeaderValues(unsigned_body->request, "x-amz-content-sha256"),
            std::vector<std::string>{"UNSIGNED-PAYLOAD"});

  params.payload = PayloadSigning::kStreaming;
  params.algorithm = Algorithm::kSigV4a;
  absl::StatusOr<SigningResult> streaming = signer.Sign(request, TestCredentials(), params);
  ASSERT_TRUE(streaming.ok());
  EXPECT_TRUE(streaming->canonical_request.ends_with("\nSTREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"));

  // A caller-set X-Amz-Content-SHA256 is the payload hash (botocore).
  params = TestParams();
  request.headers = {{"X-Amz-Content-SHA256", "0123"}};
  absl::StatusOr<SigningResult> given = signer.Sign(request, TestCredentials(), params);
  ASSERT_TRUE(given.ok());
  EXPECT_TRUE(given->canonical_request.ends_with("\n0123"));
  // ... unless the signer sets the header itself (S3).
  params.content_sha256_header = true;
  absl::StatusOr<SigningResult> s3 = signer.Sign(request, TestCredentials(), params);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(HeaderValues(s3->request, "x-amz-content-sha256"),
            std::vector<std::string>{"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"});
}

TEST(SignerTest, SigV4aHeaderAndQueryForms) {
  Signer signer;
  SigningParams params = TestParams();
  params.algorithm = Algorithm::kSigV4a;
  params.region = "us-east-1,us-west-2";
  http::HttpRequest request = Get("https://example.com/");
  request.headers = {{"X-Amz-Region-Set", "stale"}};
  absl::StatusOr<SigningResult> result = signer.Sign(request, TestCredentials(true), params);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(HeaderValues(result->request, "X-Amz-Region-Set"), std::vector<std::string>{"us-east-1,us-west-2"});
  EXPECT_EQ(result->string_to_sign.substr(0, result->string_to_sign.rfind('\n')),
            "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request");
  absl::StatusOr<EcKey> key = DeriveSigV4aKey("AKIDEXAMPLE", Secret(kSecretText));
  ASSERT_TRUE(key.ok());
  absl::StatusOr<EcKey> public_key = EcPublicKeyFromPoint(key->PublicPoint());
  ASSERT_TRUE(public_key.ok());
  EXPECT_TRUE(VerifySigV4aSignature(*public_key, result->string_to_sign, result->signature));
  EXPECT_NE(HeaderValues(result->request, "Authorization")[0].find(
                "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, "
                "SignedHeaders=host;x-amz-date;x-amz-region-set;x-amz-security-token, Signature="),
            std::string::npos);

  params.location = SignatureLocation::kQueryString;
  result = signer.Sign(Get("https://example.com/"), TestCredentials(), params);
  ASSERT_TRUE(result.ok());
  EXPECT_NE(result->request.url.find("&X-Amz-Region-Set=us-east-1%2Cus-west-2&"), std::string::npos);
  EXPECT_TRUE(VerifySigV4aSignature(*public_key, result->string_to_sign, result->signature));
  EXPECT_EQ(signer.sigv4a_key_cache().misses(), 1u);
  EXPECT_EQ(signer.sigv4a_key_cache().hits(), 1u);
}

TEST(SignerWarningsTest, PresignOutlivingTheCredentials) {
  Signer signer;
  SigningParams params = TestParams();
  params.location = SignatureLocation::kQueryString;
  params.expires_seconds = 3600;
  credentials::Credentials credentials = TestCredentials(true);

  credentials.expiration = params.time + seconds(1800);
  absl::StatusOr<SigningResult> result = signer.Sign(Get("https://example.com/"), credentials, params);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_EQ(result->warnings[0].code, "PRESIGN_OUTLIVES_CREDENTIALS");
  EXPECT_NE(result->warnings[0].message.find("2015-08-30T13:06:00Z"), std::string::npos)
      << result->warnings[0].message;
  EXPECT_EQ(result->warnings[0].message.find("TOKENzz"), std::string::npos);

  credentials.expiration = params.time + seconds(3600);  // exactly as long: fine
  result = signer.Sign(Get("https://example.com/"), credentials, params);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->warnings.empty());

  credentials.expiration.reset();  // long-term keys never expire
  result = signer.Sign(Get("https://example.com/"), credentials, params);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->warnings.empty());

  // Header signing never warns about presign lifetimes.
  params.location = SignatureLocation::kHeaders;
  credentials.expiration = params.time + seconds(1);
  result = signer.Sign(Get("https://example.com/"), credentials, params);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->warnings.empty());

  credentials.expiration = params.time - seconds(1);
  result = signer.Sign(Get("https://example.com/"), credentials, params);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_EQ(result->warnings[0].code, "CREDENTIALS_EXPIRED");
}

TEST(SignerTest, CachesSigningKeysAcrossRequests) {
  Signer signer;
  SigningParams params = TestParams();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(signer.Sign(Get("https://example.com/"), TestCredentials(), params).ok());
  EXPECT_EQ(signer.key_cache().misses(), 1u);
  EXPECT_EQ(signer.key_cache().hits(), 4u);
  params.time += hours(24);  // a new day is a new scope
  ASSERT_TRUE(signer.Sign(Get("https://example.com/"), TestCredentials(), params).ok());
  EXPECT_EQ(signer.key_cache().misses(), 2u);
}

TEST(SignerTest, ConcurrentSigningIsConsistent) {
  Signer signer;
  const SigningParams params = TestParams();
  absl::StatusOr<SigningResult> reference = signer.Sign(Get("https://example.com/x?y=z"), TestCredentials(), params);
  ASSERT_TRUE(reference.ok());
  std::vector<std::thread> threads;
  std::vector<int> wrong(6, 0);
  for (size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        absl::StatusOr<SigningResult> result = signer.Sign(Get("https://example.com/x?y=z"), TestCredentials(), params);
        if (!result.ok() || result->signature != reference->signature) ++wrong[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : wrong) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace awsd::signing
