#pragma once

// The awsd client library: talk to the local awsd daemon over its Unix
// socket. It holds no credentials and loads no service models: the daemon
// resolves, signs, sends and parses; this library only carries requests and
// answers. A Client is cheap to copy and safe to share between threads.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "awsd/page_range.h"
#include "awsd/result.h"
#include "awsd/socket_path.h"
#include "awsd/v1/credentials.pb.h"
#include "awsd/v1/daemon.pb.h"
#include "awsd/v1/invoke.pb.h"
#include "awsd/v1/resources.pb.h"
#include "awsd/v1/session.pb.h"
#include "awsd/v1/signing.pb.h"

namespace grpc {
class Channel;
}

namespace awsd::internal {
class InvokeSessionPool;
}

namespace awsd {

struct ClientOptions {
  // The daemon's socket; empty resolves as the contract says
  // ($AWSD_SOCKET, $XDG_RUNTIME_DIR/awsd/awsd.sock, /run/awsd/awsd.sock).
  std::string socket_path;
  // Deadline of each call unless the call names its own.
  std::chrono::milliseconds timeout{30000};
};

// Per-call settings.
struct CallSettings {
  // Zero: the client's timeout.
  std::chrono::milliseconds timeout{0};
};

// Which daemon-side session a call uses: the default one (the daemon's own
// environment and files), one described inline, or one made with
// Client::CreateSession.
class Session {
 public:
  // The daemon's default session, as boto3.Session() would be.
  static Session Default() { return Session(awsd::v1::SessionRef()); }
  // A session described inline (profile, region, explicit keys ...); the
  // daemon reuses an equal one it already holds.
  static Session Inline(const awsd::v1::SessionSpec& spec);
  // A session the daemon created (see Client::CreateSession).
  static Session FromId(const std::string& session_id);

  const awsd::v1::SessionRef& ref() const { return ref_; }

 private:
  explicit Session(awsd::v1::SessionRef ref) : ref_(std::move(ref)) {}
  awsd::v1::SessionRef ref_;
};

class Client {
 public:
  // Makes a client; connects on first call, so it succeeds while the daemon
  // is still starting.
  explicit Client(ClientOptions options = {});

  const std::string& socket_path() const { return socket_path_; }

  // The standard grpc.health.v1 status of `service` ("" = the daemon):
  // "SERVING", "NOT_SERVING", ...
  Result<std::string> Health(const std::string& service = "", CallSettings settings = {}) const;
  Result<awsd::v1::DaemonInfo> GetDaemonInfo(CallSettings settings = {}) const;
  // The transport's floor: an empty round trip.
  Result<Done> Ping(CallSettings settings = {}) const;

  Result<awsd::v1::Session> CreateSession(const awsd::v1::SessionSpec& spec, CallSettings settings = {}) const;
  Result<Done> CloseSession(const std::string& session_id, CallSettings settings = {}) const;

  // Source, access key id and expiry of a session's credentials; never secrets.
  Result<awsd::v1::CredentialInfo> GetCredentialInfo(const Session& session, CallSettings settings = {}) const;
  // The credentials themselves, where the daemon's policy allows this caller.
  Result<awsd::v1::ExportedCredentials> ExportCredentials(const Session& session, CallSettings settings = {}) const;

  // Signs `request` (its session field is replaced by `session`).
  Result<awsd::v1::SignResponse> Sign(const Session& session, awsd::v1::SignRequest request,
                                      CallSettings settings = {}) const;
  // Signs many requests in one round trip; one result per request, in order.
  Result<awsd::v1::SignBatchResponse> SignBatch(const awsd::v1::SignBatchRequest& batch,
                                                CallSettings settings = {}) const;

  // Calls an operation; a service error is an Error with service_error set.
  // Calls travel on InvokeSession streams the client keeps open (one per
  // thread calling at once), which costs far less per call than a unary RPC;
  // a call past its deadline cancels its stream, and so the call, in the
  // daemon. A daemon without InvokeSession gets the unary Invoke.
  Result<awsd::v1::InvokeResponse> Invoke(const Session& session, const std::string& service,
                                          const std::string& operation, const std::string& params_json,
                                          CallSettings settings = {}) const;
  // The same with every field of InvokeRequest (call options, timestamp
  // format); its session field is replaced by `session`.
  Result<awsd::v1::InvokeResponse> Invoke(const Session& session, awsd::v1::InvokeRequest request,
                                          CallSettings settings = {}) const;
  // An operation with a streaming payload (S3 PutObject: `read_body` gives
  // the next piece, nullopt at the end; `content_length` -1 when unknown)
  // and/or a streaming result (S3 GetObject: `on_body` gets each piece and
  // returns false to stop). Either may be null. The reply is the result
  // without its streaming member, or the service error.
  Result<awsd::v1::InvokeResponse> InvokeStreaming(const Session& session, awsd::v1::InvokeRequest request,
                                                   const std::function<std::optional<std::string>()>& read_body,
                                                   int64_t content_length,
                                                   const std::function<bool(std::string_view)>& on_body,
                                                   CallSettings settings = {}) const;
  // A service's operations, paginators and waiters; with `operation`, only
  // that operation, its input members described.
  Result<awsd::v1::ServiceDescription> DescribeService(const std::string& service, const std::string& operation = "",
                                                       CallSettings settings = {}) const;
  // The same with every field of the request (a waiter's operation).
  Result<awsd::v1::ServiceDescription> DescribeService(const awsd::v1::DescribeServiceRequest& request,
                                                       CallSettings settings = {}) const;
  // Runs a paginator (paginators-1.json) in the daemon: its pages as a lazy
  // range (see page_range.h). PaginateRequest's max_items, page_size and
  // starting_token are boto3's PaginationConfig; view chooses pages as
  // boto3 yields them (the default) or merged as the AWS CLI prints them.
  PageRange Pages(const Session& session, awsd::v1::PaginateRequest request, CallSettings settings = {}) const;
  // The same, handing each page to `on_page` as it arrives; stops early
  // when on_page returns false.
  Result<Done> Paginate(const Session& session, awsd::v1::PaginateRequest request,
                        const std::function<bool(const awsd::v1::Page&)>& on_page, CallSettings settings = {}) const;
  // Runs a waiter until it succeeds, fails or times out.
  Result<awsd::v1::WaitResponse> Wait(const Session& session, awsd::v1::WaitRequest request,
                                      CallSettings settings = {}) const;
  // A service's boto3 resource model (resources-1.json) with the shape members
  // and paginated operations its resources need; NOT_FOUND when the service
  // has none. awsd/resources/ builds resources and collections from it.
  Result<awsd::v1::ResourceModel> DescribeResources(const std::string& service, CallSettings settings = {}) const;
  // A presigned URL for an operation.
  Result<awsd::v1::PresignResponse> Presign(const Session& session, awsd::v1::PresignRequest request,
                                            CallSettings settings = {}) const;

 private:
  std::string socket_path_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  // Invoke's open InvokeSession streams, shared by copies of this client.
  std::shared_ptr<internal::InvokeSessionPool> invoke_sessions_;
};

}  // namespace awsd
