// The Sign handler's own cost, without the transport: protobuf in, session
// lookup, signing, protobuf out. What the RPC adds on top is the socket.
#include <benchmark/benchmark.h>

#include "bench/common/sign_requests.h"
#include "daemon/server/services/signing_service.h"

namespace awsd::server {
namespace {

struct Fixture {
  session::SessionRegistry sessions;
  signing::Signer signer;
  CallLimiter limiter{1024};
  PeerTable peers;
  WorkerPool workers{1};
  ServiceContext context{sessions, signer, limiter, peers, workers, "bench"};
  SigningServiceImpl service{context};
  awsd::v1::SignRequest request;

  Fixture() {
    session::SessionOptions options;
    credentials::Credentials c;
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    options.explicit_credentials = std::move(c);
    auto session = sessions.Create(options);
    request = awsd::bench::SmallS3Get((*session)->id());
  }
};

void BM_SignHandler(benchmark::State& state) {
  Fixture f;
  for (auto _ : state) {
    awsd::v1::SignResponse reply;
    benchmark::DoNotOptimize(f.service.SignOne(f.request, &reply));
  }
}
BENCHMARK(BM_SignHandler);

// The same with the wire format on both sides, as gRPC does it.
void BM_SignHandlerWithProtobufWire(benchmark::State& state) {
  Fixture f;
  std::string wire = f.request.SerializeAsString();
  for (auto _ : state) {
    awsd::v1::SignRequest parsed;
    parsed.ParseFromString(wire);
    awsd::v1::SignResponse reply;
    benchmark::DoNotOptimize(f.service.SignOne(parsed, &reply));
    std::string out = reply.SerializeAsString();
    awsd::v1::SignResponse client_side;
    client_side.ParseFromString(out);
    benchmark::DoNotOptimize(client_side);
  }
}
BENCHMARK(BM_SignHandlerWithProtobufWire);

// A batch of 64 as SignBatch sees it: the handler's loop, and separately
// the protobuf work on both sides of the socket.
void BM_SignBatch64Handler(benchmark::State& state) {
  Fixture f;
  awsd::v1::SignBatchRequest batch;
  for (int i = 0; i < 64; ++i) *batch.add_requests() = f.request;
  for (auto _ : state) {
    awsd::v1::SignBatchResponse reply;
    for (const auto& one : batch.requests()) {
      benchmark::DoNotOptimize(f.service.SignOne(one, reply.add_results()->mutable_response()));
    }
    benchmark::DoNotOptimize(reply);
  }
}
BENCHMARK(BM_SignBatch64Handler);

void BM_SignBatch64ProtobufBothSides(benchmark::State& state) {
  Fixture f;
  awsd::v1::SignBatchRequest batch;
  awsd::v1::SignBatchResponse reply;
  for (int i = 0; i < 64; ++i) {
    *batch.add_requests() = f.request;
    f.service.SignOne(f.request, reply.add_results()->mutable_response()).IgnoreError();
  }
  for (auto _ : state) {
    std::string request_wire = batch.SerializeAsString();
    awsd::v1::SignBatchRequest parsed_request;
    parsed_request.ParseFromString(request_wire);
    std::string reply_wire = reply.SerializeAsString();
    awsd::v1::SignBatchResponse parsed_reply;
    parsed_reply.ParseFromString(reply_wire);
    benchmark::DoNotOptimize(parsed_reply);
  }
}
BENCHMARK(BM_SignBatch64ProtobufBothSides);

}  // namespace
}  // namespace awsd::server

BENCHMARK_MAIN();
