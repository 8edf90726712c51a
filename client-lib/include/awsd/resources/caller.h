#pragma once

// How resources reach the daemon: an interface so that tests can hand
// resources a fake, and one implementation over awsd::Client.

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "awsd/client.h"
#include "awsd/result.h"

namespace awsd::resources {

// A paginated call's pages, pulled one at a time (the collection's lazy
// iteration); dropping it stops the call.
class PageSource {
 public:
  virtual ~PageSource() = default;
  // The next page's result; nullopt after the last.
  virtual Result<std::optional<nlohmann::json>> Next() = 0;
};

class Caller {
 public:
  virtual ~Caller() = default;

  // One operation call (Client::Invoke): the result as boto3 returns it, or
  // the error (a service error has service_error set).
  virtual Result<nlohmann::json> Invoke(const std::string& service, const std::string& operation,
                                        const nlohmann::json& params) const = 0;
  // A paginated call (Client::Pages): its pages as they are pulled.
  // max_items / page_size 0: unset.
  virtual std::unique_ptr<PageSource> Paginate(const std::string& service, const std::string& operation,
                                               const nlohmann::json& params, int max_items, int page_size) const = 0;
  // A waiter (Client::Wait); a failure or timeout is an Error naming the
  // waiter and botocore's reason.
  virtual Result<awsd::v1::WaitResponse> Wait(const std::string& service, const std::string& waiter,
                                              const nlohmann::json& params) const = 0;
};

// The Caller of real programs: a Client and the session its calls use.
class ClientCaller final : public Caller {
 public:
  ClientCaller(Client client, Session session) : client_(std::move(client)), session_(std::move(session)) {}

  Result<nlohmann::json> Invoke(const std::string& service, const std::string& operation,
                                const nlohmann::json& params) const override;
  std::unique_ptr<PageSource> Paginate(const std::string& service, const std::string& operation,
                                       const nlohmann::json& params, int max_items, int page_size) const override;
  Result<awsd::v1::WaitResponse> Wait(const std::string& service, const std::string& waiter,
                                      const nlohmann::json& params) const override;

 private:
  Client client_;
  Session session_;
};

}  // namespace awsd::resources
