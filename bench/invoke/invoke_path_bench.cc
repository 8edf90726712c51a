// The call path in-process, stage by stage, against a local server that
// answers at once (the stub awsd-invoke-load also uses): the transport's
// keep-alive round trip alone, then a whole Invoker call (prepare, sign,
// send, parse) on top of it. What the daemon adds beyond these is the RPC.

#include <benchmark/benchmark.h>

#include <future>

#include "daemon/credentials/static_provider.h"
#include "daemon/http/async_http_client.h"
#include "daemon/invoke/invoker.h"
#include "daemon/model/model_files.h"
#include "tests/support/fake_http_server.h"

namespace {

using awsd::test_support::FakeHttpServer;
using awsd::test_support::FakeResponse;

FakeHttpServer& Stub() {
  static FakeHttpServer server([](const awsd::http::HttpRequest&) {
    FakeResponse response;
    response.headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "bench-1"}};
    response.body = R"({"TableNames":["alpha","beta","gamma"]})";
    return response;
  });
  return server;
}

std::shared_ptr<awsd::http::AsyncHttpClient> Transport() {
  static auto transport = awsd::http::AsyncHttpClient::Create();
  return transport;
}

void BM_TransportRoundTrip(benchmark::State& state) {
  auto transport = Transport();
  awsd::http::Exchange exchange;
  exchange.request.method = "POST";
  exchange.request.url = Stub().url() + "/";
  exchange.request.body = "{}";
  for (auto _ : state) {
    std::promise<bool> done;
    transport->Start(exchange, [&done](absl::StatusOr<awsd::http::HttpResponse> response) {
      done.set_value(response.ok() && response->status == 200);
    });
    if (!done.get_future().get()) state.SkipWithError("request failed");
  }
}
BENCHMARK(BM_TransportRoundTrip)->UseRealTime();

void BM_InvokerCall(benchmark::State& state) {
  static const awsd::model::ModelRegistry models(
      awsd::model::ModelFiles(awsd::model::ModelSearchPath({}, awsd::config::ProcessEnvironment())));
  static awsd::signing::Signer signer;
  static awsd::invoke::Invoker invoker(awsd::invoke::Invoker::Parts{models, signer, Transport(), nullptr});
  awsd::credentials::Credentials keys;
  keys.access_key_id = "AKIDEXAMPLE";
  keys.secret_access_key = awsd::Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  auto session = std::make_shared<const awsd::session::Session>(
      "bench", "default", "us-east-1", Stub().url(), std::make_shared<awsd::credentials::StaticProvider>(keys));
  for (auto _ : state) {
    std::promise<bool> done;
    awsd::invoke::InvokeCall call;
    call.session = session;
    call.service = "dynamodb";
    call.operation = "ListTables";
    invoker.Invoke(std::move(call), [&done](awsd::invoke::CallOutcome outcome) {
      done.set_value(outcome.status.ok() && !outcome.reply.is_error);
    });
    if (!done.get_future().get()) state.SkipWithError("call failed");
  }
}
BENCHMARK(BM_InvokerCall)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
