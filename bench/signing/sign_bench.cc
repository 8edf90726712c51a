// Signing cost per request, in process. The requests match
// botocore_sign_bench.py's, so run.sh can put the two side by side.

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "daemon/signing/signer.h"

namespace awsd::signing {
namespace {

credentials::Credentials BenchCredentials() {
  credentials::Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  return credentials;
}

SigningParams BenchParams(std::string service, std::string region) {
  SigningParams params;
  params.service = std::move(service);
  params.region = std::move(region);
  params.time = std::chrono::system_clock::now();
  return params;
}

// GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08
http::HttpRequest SmallGet() {
  http::HttpRequest request;
  request.method = "GET";
  request.url = "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08";
  return request;
}

// A DynamoDB-style JSON POST with a 1 KiB body.
http::HttpRequest Post1KiB() {
  http::HttpRequest request;
  request.method = "POST";
  request.url = "https://dynamodb.us-east-1.amazonaws.com/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
  request.body = std::string(1024, 'x');
  return request;
}

void Run(benchmark::State& state, Signer& signer, const http::HttpRequest& request, const SigningParams& params) {
  const credentials::Credentials credentials = BenchCredentials();
  for (auto _ : state) {
    absl::StatusOr<SigningResult> result = signer.Sign(request, credentials, params);
    if (!result.ok()) {
      state.SkipWithError("signing failed");
      break;
    }
    benchmark::DoNotOptimize(result->signature.data());
  }
}

void BM_SigV4_SmallGet_CachedKey(benchmark::State& state) {
  static Signer signer;
  Run(state, signer, SmallGet(), BenchParams("iam", "us-east-1"));
}
BENCHMARK(BM_SigV4_SmallGet_CachedKey);

void BM_SigV4_SmallGet_UncachedKey(benchmark::State& state) {
  // Capacity 1 and two alternating regions: every signature derives its key.
  Signer signer(1);
  const http::HttpRequest request = SmallGet();
  const credentials::Credentials credentials = BenchCredentials();
  SigningParams params[2] = {BenchParams("iam", "us-east-1"), BenchParams("iam", "us-west-2")};
  size_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<SigningResult> result = signer.Sign(request, credentials, params[i++ & 1]);
    benchmark::DoNotOptimize(result->signature.data());
  }
}
BENCHMARK(BM_SigV4_SmallGet_UncachedKey);

void BM_SigV4_Post1KiB(benchmark::State& state) {
  Signer signer;
  Run(state, signer, Post1KiB(), BenchParams("dynamodb", "us-east-1"));
}
BENCHMARK(BM_SigV4_Post1KiB);

void BM_SigV4a_SmallGet(benchmark::State& state) {
  Signer signer;
  SigningParams params = BenchParams("iam", "*");
  params.algorithm = Algorithm::kSigV4a;
  Run(state, signer, SmallGet(), params);
}
BENCHMARK(BM_SigV4a_SmallGet);

void BM_SigV4_PresignS3(benchmark::State& state) {
  Signer signer;
  http::HttpRequest request;
  request.method = "GET";
  request.url = "https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/cat.jpg";
  SigningParams params = BenchParams("s3", "us-east-1");
  params.location = SignatureLocation::kQueryString;
  params.payload = PayloadSigning::kUnsigned;
  params.normalize_path = false;
  params.double_encode_path = false;
  Run(state, signer, request, params);
}
BENCHMARK(BM_SigV4_PresignS3);

}  // namespace
}  // namespace awsd::signing

BENCHMARK_MAIN();
