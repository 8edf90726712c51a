// awsd-invoke-stub: an HTTP server on 127.0.0.1 that answers at once, for
// the call-path benchmarks: DynamoDB ListTables (JSON) and STS
// GetCallerIdentity (query/XML). Prints its port, runs until stdin closes.
//   awsd-invoke-stub

#include <iostream>
#include <string>

#include "tests/support/fake_http_server.h"

namespace {

constexpr const char* kCallerIdentity =
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
    "<Arn>arn:aws:iam::123456789012:user/bench</Arn><UserId>AIDABENCH</UserId><Account>123456789012</Account>"
    "</GetCallerIdentityResult><ResponseMetadata><RequestId>bench-1</RequestId></ResponseMetadata>"
    "</GetCallerIdentityResponse>";

}  // namespace

int main() {
  awsd::test_support::FakeHttpServer::Options options;
  options.record_requests = false;
  awsd::test_support::FakeHttpServer server([](const awsd::http::HttpRequest& request) {
    awsd::test_support::FakeResponse response;
    if (request.body.find("Action=GetCallerIdentity") != std::string::npos) {
      response.headers = {{"Content-Type", "text/xml"}, {"x-amzn-RequestId", "bench-1"}};
      response.body = kCallerIdentity;
    } else {
      response.headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "bench-1"}};
      response.body = R"({"TableNames":["alpha","beta","gamma"]})";
    }
    return response;
  }, options);
  std::cout << server.port() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}
