// The gRPC handlers' work (daemon/server/services), in-process and without a
// socket: Sign (SigningServiceImpl::SignOne), Invoke (ToInvokeCall, the
// invoker, ToInvokeResponse), Presign and DescribeService, each with an
// arbitrary request message and arbitrary params_json. The reactor shells
// around them only count calls and finish; what a client controls is here.
//
// No network: AWS calls go to a transport that answers from the input and
// never opens a socket; credential sources get an HTTP client that always
// fails, and an environment with no AWS files and IMDS disabled.
//
// Input: byte 0 picks the handler (modulo 4: sign, invoke, presign,
// describe); byte 1 the answer's status and the default service; then three
// parts separated by "\n----\n": the request message (protobuf text format,
// or binary wire format when that does not parse), params_json, and the body
// of the answer the fake AWS sends.

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "awsd/v1/invoke.pb.h"
#include "awsd/v1/signing.pb.h"
#include "daemon/common/worker_pool.h"
#include "daemon/http/async_http_client.h"
#include "daemon/invoke/invoker.h"
#include "daemon/invoke/presign.h"
#include "daemon/server/call_limiter.h"
#include "daemon/server/peer_credentials.h"
#include "daemon/server/services/invoke_replies.h"
#include "daemon/server/services/operation_description.h"
#include "daemon/server/services/service_context.h"
#include "daemon/server/services/signing_service.h"
#include "daemon/session/session_registry.h"
#include "fuzz/fuzz_models.h"
#include "spdlog/spdlog.h"

namespace {

// The AWS side: every exchange is queued and answered when the fuzzer drains
// the queue, on the fuzzer's thread, with the input's status and body.
class FakeTransport : public awsd::http::AsyncHttpClient {
 public:
  struct Handle : awsd::http::TransferHandle {
    void Resume() override {}
    void Cancel() override {}
  };

  void Answer(int status, std::string body) {
    status_ = status;
    body_ = std::move(body);
  }

  std::shared_ptr<awsd::http::TransferHandle> Start(awsd::http::Exchange exchange,
                                                    awsd::http::Completion done) override {
    tasks_.push_back([this, exchange = std::move(exchange), done = std::move(done)]() mutable {
      awsd::http::HttpResponse response;
      response.status = status_;
      response.headers = {{"x-amzn-RequestId", "fuzz-request"}, {"x-amz-request-id", "fuzz-request"}};
      if (exchange.body_writer && exchange.body_writer->OnHead(status_, response.headers)) {
        if (exchange.body_writer->Write(body_) == awsd::http::BodyWriter::WriteResult::kFailed) {
          done(absl::AbortedError("writer failed"));
          return;
        }
      } else {
        response.body = body_;
      }
      done(std::move(response));
    });
    return std::make_shared<Handle>();
  }

  void RunAfter(std::chrono::milliseconds, std::function<void()> task) override { tasks_.push_back(std::move(task)); }

  void Shutdown() override { tasks_.clear(); }

  // Runs what is queued (retries queue more); bounded so that a call that
  // never ends is a finding of its own rather than a hang.
  void Drain() {
    for (int i = 0; i < 64 && !tasks_.empty(); ++i) {
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      task();
    }
    tasks_.clear();
  }

 private:
  std::deque<std::function<void()>> tasks_;
  int status_ = 200;
  std::string body_;
};

// Credential sources (IMDS, containers, SSO, STS) reach nothing.
class NoNetwork : public awsd::http::HttpClient {
 public:
  absl::StatusOr<awsd::http::HttpResponse> Send(const awsd::http::HttpRequest& request,
                                                const awsd::http::RequestOptions&) override {
    return absl::UnavailableError("fuzzing: no network");
  }
};

class Quiet : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
};

struct World {
  World()
      : sessions(EnvLookup(), 64,
                 awsd::session::SessionRegistry::Outside{nullptr, std::make_shared<NoNetwork>(), nullptr}),
        limiter(1024),
        workers(1),
        transport(std::make_shared<FakeTransport>()),
        invoker(awsd::invoke::Invoker::Parts{awsd::fuzz::Models(), signer, transport, [] { return 0.0; }}),
        context{sessions, signer, limiter, peers, workers, "/nonexistent/awsd-fuzz.sock"},
        signing(context) {
    context.invoker = &invoker;
  }

  static awsd::config::EnvLookup EnvLookup() {
    return [](const std::string& name) -> std::optional<std::string> {
      if (name == "HOME") return "/nonexistent/awsd-fuzz";
      if (name == "AWS_CONFIG_FILE") return "/nonexistent/awsd-fuzz/config";
      if (name == "AWS_SHARED_CREDENTIALS_FILE") return "/nonexistent/awsd-fuzz/credentials";
      if (name == "AWS_EC2_METADATA_DISABLED") return "true";
      return std::nullopt;
    };
  }

  awsd::session::SessionRegistry sessions;
  awsd::signing::Signer signer;
  awsd::server::CallLimiter limiter;
  awsd::server::PeerTable peers;
  awsd::WorkerPool workers;
  std::shared_ptr<FakeTransport> transport;
  awsd::invoke::Invoker invoker;
  awsd::server::ServiceContext context;
  awsd::server::SigningServiceImpl signing;
};

World& TheWorld() {
  static World* const world = [] {
    spdlog::set_level(spdlog::level::off);
    google::protobuf::SetLogHandler(nullptr);
    return new World();
  }();
  return *world;
}

// Text format first (readable seeds, and mutations that keep field names);
// the binary wire format for everything else.
bool ParseMessage(std::string_view text, google::protobuf::Message* message) {
  Quiet quiet;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&quiet);
  if (parser.ParseFromString(std::string(text), message)) return true;
  message->Clear();
  return message->ParsePartialFromArray(text.data(), static_cast<int>(text.size()));
}

// A request that names no session gets explicit credentials, so the fuzzer
// spends its time past session resolution.
void DefaultSession(awsd::v1::SessionRef* session) {
  if (session->kind_case() != awsd::v1::SessionRef::KIND_NOT_SET) return;
  auto* credentials = session->mutable_spec()->mutable_explicit_credentials();
  credentials->set_access_key_id("AKIDEXAMPLE");
  credentials->set_secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  session->mutable_spec()->set_region("us-east-1");
}

constexpr const char* kServices[] = {"s3", "dynamodb", "sts", "lambda", "ec2", "cloudwatch", "sqs", "iam"};

void Invoke(World& world, const awsd::v1::InvokeRequest& request) {
  auto call = awsd::server::ToInvokeCall(world.context, nullptr, request);
  if (!call.ok()) return;
  std::optional<awsd::invoke::CallOutcome> outcome;
  auto handle =
      world.invoker.Invoke(*std::move(call), [&outcome](awsd::invoke::CallOutcome done) { outcome = std::move(done); });
  world.transport->Drain();
  if (!outcome.has_value()) {
    // The transport ran everything it was given: a call still open now
    // would hang its client forever.
    if (handle) handle->Cancel();
    world.transport->Drain();
    return;
  }
  awsd::v1::InvokeResponse reply;
  (void)awsd::server::ToInvokeResponse(*std::move(outcome), &reply);
}

void Presign(World& world, const awsd::v1::PresignRequest& request) {
  auto call = awsd::server::ToInvokeCall(world.context, nullptr, request.session(), request.service(),
                                         request.operation(), request.params_json(), request.options());
  if (!call.ok()) return;
  const int64_t expires = request.expires_in_seconds() == 0 ? 3600 : request.expires_in_seconds();
  (void)awsd::invoke::PresignOperation(world.invoker, *call, expires, request.http_method());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  World& world = TheWorld();
  const uint8_t handler = data[0] % 4;
  static constexpr int kStatuses[] = {200, 200, 400, 403, 404, 500, 503, 301};
  const int status = kStatuses[data[1] % std::size(kStatuses)];
  const char* default_service = kServices[(data[1] >> 3) % std::size(kServices)];

  std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  auto next_part = [&text]() {
    const size_t at = text.find("\n----\n");
    std::string_view part = text.substr(0, at);
    text = at == std::string_view::npos ? std::string_view() : text.substr(at + 6);
    return part;
  };
  const std::string_view message = next_part();
  const std::string_view params_json = next_part();
  world.transport->Answer(status, std::string(text));

  switch (handler) {
    case 0: {
      awsd::v1::SignRequest request;
      if (!ParseMessage(message, &request)) return 0;
      DefaultSession(request.mutable_session());
      awsd::v1::SignResponse reply;
      (void)world.signing.SignOne(request, &reply, nullptr);
      break;
    }
    case 1: {
      awsd::v1::InvokeRequest request;
      if (!ParseMessage(message, &request)) return 0;
      DefaultSession(request.mutable_session());
      if (request.service().empty()) request.set_service(default_service);
      if (!params_json.empty()) request.set_params_json(std::string(params_json));
      Invoke(world, request);
      break;
    }
    case 2: {
      awsd::v1::PresignRequest request;
      if (!ParseMessage(message, &request)) return 0;
      DefaultSession(request.mutable_session());
      if (request.service().empty()) request.set_service(default_service);
      if (!params_json.empty()) request.set_params_json(std::string(params_json));
      Presign(world, request);
      break;
    }
    default: {
      awsd::v1::DescribeServiceRequest request;
      if (!ParseMessage(message, &request)) return 0;
      if (request.service().empty()) request.set_service(default_service);
      (void)awsd::server::DescribeService(awsd::fuzz::Models(), request);
      break;
    }
  }
  return 0;
}
