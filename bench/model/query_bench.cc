// Serialise + parse of a DynamoDB Query whose response is about 1 MB (the
// body comes from make_query_response.py, path in $AWSD_QUERY_RESPONSE), as
// issue 5 measures it against botocore (run.sh).

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "benchmark/benchmark.h"
#include "daemon/model/model_registry.h"
#include "daemon/protocols/param_validator.h"
#include "daemon/protocols/protocol.h"

namespace {

using awsd::protocols::Value;

struct Fixture {
  std::shared_ptr<const awsd::model::ServiceModel> service;
  const awsd::model::Operation* query = nullptr;
  awsd::http::HttpResponse response;
  Value params;

  Fixture() {
    awsd::model::ModelRegistry registry(
        awsd::model::ModelFiles(awsd::model::ModelSearchPath({}, awsd::config::ProcessEnvironment())));
    service = registry.Service("dynamodb").value();
    query = *service->FindOperation("Query");
    const char* path = std::getenv("AWSD_QUERY_RESPONSE");
    std::ifstream in(path != nullptr ? path : "/tmp/awsd-query-response.json", std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    response.status = 200;
    response.body = body.str();
    response.headers = {{"x-amzn-RequestId", "REQ"},
                        {"Content-Type", "application/x-amz-json-1.0"},
                        {"Content-Length", std::to_string(response.body.size())}};
    params = {{"TableName", "orders"},
              {"KeyConditionExpression", "pk = :pk"},
              {"ExpressionAttributeValues", {{":pk", {{"S", "user#1"}}}}},
              {"Limit", 1000}};
  }
};

const Fixture& Data() {
  static const Fixture fixture;
  return fixture;
}

void BM_SerializeQuery(benchmark::State& state) {
  const Fixture& f = Data();
  const auto& protocol = awsd::protocols::ProtocolFor(f.service->protocol());
  for (auto _ : state) {
    benchmark::DoNotOptimize(awsd::protocols::ValidateParameters(f.params, *f.query->input));
    benchmark::DoNotOptimize(protocol.Serialize(*f.service, *f.query, f.params, {}));
  }
}
BENCHMARK(BM_SerializeQuery);

bool HasResponse(benchmark::State& state) {
  if (Data().response.body.size() >= 1000000) return true;
  state.SkipWithError("no 1 MB response: set AWSD_QUERY_RESPONSE (bench/model/run.sh does)");
  return false;
}

// What the daemon does with a response: the client's JSON text.
void BM_ParseQuery1MB(benchmark::State& state) {
  if (!HasResponse(state)) return;
  const Fixture& f = Data();
  const auto& protocol = awsd::protocols::ProtocolFor(f.service->protocol());
  for (auto _ : state) {
    auto reply = protocol.ParseToClientJson(*f.service, *f.query, f.response, {}, 0);
    if (!reply.ok()) state.SkipWithError(std::string(reply.status().message()).c_str());
    benchmark::DoNotOptimize(reply);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.response.body.size()));
}
BENCHMARK(BM_ParseQuery1MB)->Unit(benchmark::kMillisecond);

// The result as a Value tree (what paginators and waiters walk).
void BM_ParseQuery1MBToValue(benchmark::State& state) {
  if (!HasResponse(state)) return;
  const Fixture& f = Data();
  const auto& protocol = awsd::protocols::ProtocolFor(f.service->protocol());
  for (auto _ : state) {
    auto parsed = protocol.Parse(*f.service, *f.query, f.response, {});
    if (!parsed.ok()) state.SkipWithError(std::string(parsed.status().message()).c_str());
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.response.body.size()));
}
BENCHMARK(BM_ParseQuery1MBToValue)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
