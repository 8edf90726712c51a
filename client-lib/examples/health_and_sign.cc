// Asks the local awsd whether it serves, then has it sign a request with
// explicit credentials, and prints the Authorization header it made.
//
//   awsd_client_example [SOCKET]
#include <iostream>

#include "awsd/client.h"

int main(int argc, char** argv) {
  awsd::Client client({.socket_path = argc > 1 ? argv[1] : ""});

  auto health = client.Health();
  if (!health) {
    std::cerr << health.error().ToString() << "\n";
    return 1;
  }
  std::cout << "health: " << *health << "\n";

  awsd::v1::SessionSpec spec;
  spec.set_region("us-east-1");
  spec.mutable_explicit_credentials()->set_access_key_id("AKIDEXAMPLE");
  spec.mutable_explicit_credentials()->set_secret_access_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  auto session = awsd::Session::Inline(spec);

  awsd::v1::SignRequest request;
  request.mutable_request()->set_method("GET");
  request.mutable_request()->set_url("https://example.amazonaws.com/?Action=ListUsers&Version=2010-05-08");
  request.set_service("iam");
  request.set_region("us-east-1");
  request.mutable_signing_time()->set_seconds(1440938160);  // 2015-08-30T12:36:00Z
  auto signed_request = client.Sign(session, request);
  if (!signed_request) {
    std::cerr << signed_request.error().ToString() << "\n";
    return 1;
  }
  for (const auto& header : signed_request->request().headers()) {
    if (header.name() == "Authorization") std::cout << "Authorization: " << header.value() << "\n";
  }
  return 0;
}
