#pragma once

// The Paginate RPC: a paginator (paginators-1.json) run in the daemon, one
// call at a time, each page written to the client before the next is asked
// for (a slow reader slows the walk; nothing piles up). A client that hangs
// up cancels the call in flight and the walk.

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "awsd/v1/invoke.pb.h"
#include "daemon/server/services/service_context.h"

namespace awsd::server {

grpc::ServerWriteReactor<awsd::v1::Page>* StartPaginate(ServiceContext& context, const grpc::ServerContextBase* call,
                                                        const awsd::v1::PaginateRequest& request);

}  // namespace awsd::server
