// awsctl against a real daemon: the contract's outside face, exit statuses
// included.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "nlohmann/json.hpp"
#include "tests/support/shared_daemon_test.h"
#include "tests/support/test_paths.h"

namespace awsd::test_support {
namespace {

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class AwsctlTest : public SharedDaemonTest {
 protected:

  static ProcessResult Awsctl(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {BinaryPath("awsctl"), "--socket", socket()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProgram(argv, env);
  }

  static std::vector<std::string> ExampleKeys() {
    return {"--access-key-id", "AKIDEXAMPLE", "--secret-access-key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
  }

};

TEST_F(AwsctlTest, HealthPrintsServing) {
  auto result = Awsctl({"health"});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, "SERVING\n");
}

TEST_F(AwsctlTest, NoDaemonIsOneLineNamingTheSocketAndExit255) {
  auto result = RunProgram({BinaryPath("awsctl"), "--socket", "/nonexistent/awsd.sock", "health"});
  EXPECT_EQ(result.exit_status, 255);
  EXPECT_EQ(result.err, "awsctl: daemon not reachable at /nonexistent/awsd.sock\n");
}

TEST_F(AwsctlTest, SocketComesFromAwsdSocketWhenNoFlag) {
  auto result = RunProgram({BinaryPath("awsctl"), "health"}, {{"AWSD_SOCKET", socket()}});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, "SERVING\n");
}

TEST_F(AwsctlTest, VersionAndHelp) {
  auto version = Awsctl({"--version"});
  EXPECT_EQ(version.exit_status, 0);
  EXPECT_TRUE(version.out.starts_with("awsctl ")) << version.out;
  auto help = Awsctl({"--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_NE(help.out.find("--endpoint-url"), std::string::npos);
  EXPECT_NE(help.out.find("health"), std::string::npos);
}

TEST_F(AwsctlTest, BadCommandLineExits252NamingTheParameter) {
  auto unknown = Awsctl({"--no-such-option", "health"});
  EXPECT_EQ(unknown.exit_status, 252);
  EXPECT_NE(unknown.err.find("--no-such-option"), std::string::npos) << unknown.err;
  auto bad_output = Awsctl({"--output", "yaml", "health"});
  EXPECT_EQ(bad_output.exit_status, 252);
  EXPECT_NE(bad_output.err.find("--output"), std::string::npos) << bad_output.err;
  auto missing = Awsctl({"sign", "--url", "https://example.amazonaws.com/"});
  EXPECT_EQ(missing.exit_status, 252);
  EXPECT_NE(missing.err.find("--method"), std::string::npos) << missing.err;
}

TEST_F(AwsctlTest, SignMatchesTheConformanceVanillaCase) {
  auto dir = std::filesystem::path(ConformanceDir()) / "sigv4/v4/get-vanilla";
  auto context = nlohmann::json::parse(ReadText(dir / "context.json"));
  auto args = ExampleKeys();
  args.insert(args.end(), {"sign", "--method", "GET", "--url", "https://example.amazonaws.com/", "--service",
                           context["service"], "--region", context["region"], "--time", context["timestamp"]});
  auto result = Awsctl(args);
  ASSERT_EQ(result.exit_status, 0) << result.err;
  auto out = nlohmann::json::parse(result.out);
  EXPECT_EQ(out["canonical_request"], ReadText(dir / "header-canonical-request.txt"));
  EXPECT_EQ(out["string_to_sign"], ReadText(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(out["signature"], ReadText(dir / "header-signature.txt"));
  EXPECT_EQ(out["method"], "GET");
  EXPECT_EQ(out["url"], "https://example.amazonaws.com/");
  EXPECT_NE(out["headers"]["Authorization"].get<std::string>().find("Signature=" + ReadText(dir / "header-signature.txt")),
            std::string::npos);
  // The secret never comes back.
  EXPECT_EQ(result.out.find("wJalrXUtnFEMI"), std::string::npos);
}

TEST_F(AwsctlTest, SignPresignedUrlCarriesTheQuerySignature) {
  auto dir = std::filesystem::path(ConformanceDir()) / "sigv4/v4/get-vanilla";
  auto args = ExampleKeys();
  args.insert(args.end(), {"sign", "--method", "GET", "--url", "https://example.amazonaws.com/", "--service", "service",
                           "--region", "us-east-1", "--time", "2015-08-30T12:36:00Z", "--presign", "--expires", "3600"});
  auto result = Awsctl(args);
  ASSERT_EQ(result.exit_status, 0) << result.err;
  auto out = nlohmann::json::parse(result.out);
  EXPECT_EQ(out["signature"], ReadText(dir / "query-signature.txt"));
  EXPECT_NE(out["url"].get<std::string>().find("X-Amz-Signature=" + ReadText(dir / "query-signature.txt")),
            std::string::npos);
}

TEST_F(AwsctlTest, SignRefusesBadInputNamingTheFieldAndTheDaemonKeepsServing) {
  auto base = ExampleKeys();
  base.insert(base.end(), {"sign", "--method", "GET", "--service", "service", "--region", "us-east-1"});
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return Awsctl(args);
  };
  auto bad_url = with({"--url", "not a url"});
  EXPECT_EQ(bad_url.exit_status, 252);
  EXPECT_NE(bad_url.err.find("request.url"), std::string::npos) << bad_url.err;
  auto crlf = with({"--url", "https://example.amazonaws.com/", "--header", "X-Test: a\r\nInjected: b"});
  EXPECT_EQ(crlf.exit_status, 252);
  EXPECT_NE(crlf.err.find("request.headers"), std::string::npos) << crlf.err;
  auto expiry = with({"--url", "https://example.amazonaws.com/", "--presign", "--expires", "604801"});
  EXPECT_EQ(expiry.exit_status, 252);
  EXPECT_NE(expiry.err.find("expires_seconds"), std::string::npos) << expiry.err;
  auto no_region = Awsctl({"--access-key-id", "AKIDEXAMPLE", "--secret-access-key", "s", "sign", "--method", "GET",
                           "--url", "https://example.amazonaws.com/", "--service", "service"});
  EXPECT_EQ(no_region.exit_status, 252);
  EXPECT_NE(no_region.err.find("region"), std::string::npos) << no_region.err;

  EXPECT_EQ(Awsctl({"health"}).exit_status, 0);
}

TEST_F(AwsctlTest, CredentialsShowSourceAndKeyIdButNeverTheSecret) {
  auto args = ExampleKeys();
  args.insert(args.end(), {"--session-token", "TOKENEXAMPLE", "credentials"});
  auto result = Awsctl(args);
  ASSERT_EQ(result.exit_status, 0) << result.err;
  auto out = nlohmann::json::parse(result.out);
  EXPECT_EQ(out["source"], "explicit");
  EXPECT_EQ(out["access_key_id"], "AKIDEXAMPLE");
  EXPECT_TRUE(out["expiration"].is_null());
  EXPECT_EQ(result.out.find("wJalrXUtnFEMI"), std::string::npos);
  EXPECT_EQ(result.out.find("TOKENEXAMPLE"), std::string::npos);
}

TEST_F(AwsctlTest, NoCredentialsExits253) {
  auto result = Awsctl({"credentials"});
  EXPECT_EQ(result.exit_status, 253) << result.out << result.err;
  EXPECT_NE(result.err.find("Unable to locate credentials"), std::string::npos) << result.err;
}

TEST_F(AwsctlTest, CredentialProcessIsRefusedByTheDefaultPolicy) {
  auto args = ExampleKeys();
  args.push_back("credential-process");
  auto result = Awsctl(args);
  EXPECT_EQ(result.exit_status, 255);
  EXPECT_NE(result.err.find("PERMISSION_DENIED"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("wJalrXUtnFEMI"), std::string::npos);
}

// The standard health service, asked by a gRPC client in another language
// (Python, with Debian's python3-grpcio) that knows nothing of awsd.
TEST_F(AwsctlTest, PythonGrpcHealthClientSeesServing) {
  auto script = dir().path() / "health.py";
  WriteFile(script, R"(import sys, grpc
channel = grpc.insecure_channel("unix:" + sys.argv[1])
check = channel.unary_unary("/grpc.health.v1.Health/Check",
                            request_serializer=lambda b: b, response_deserializer=lambda b: b)
reply = check(b"", timeout=10)
# HealthCheckResponse{status = SERVING (1)} is the two bytes 08 01.
print("SERVING" if reply == b"\x08\x01" else "unexpected reply " + reply.hex())
)");
  auto result = RunProgram({"/usr/bin/python3", script.string(), socket()});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, "SERVING\n") << result.err;
}

// Server reflection, asked the same way: a grpcurl-style client lists the
// services without having awsd's protos.
TEST_F(AwsctlTest, PythonGrpcReflectionClientListsTheServices) {
  auto script = dir().path() / "reflection.py";
  WriteFile(script, R"(import sys, grpc
channel = grpc.insecure_channel("unix:" + sys.argv[1])
info = channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                             request_serializer=lambda b: b, response_deserializer=lambda b: b)
# ServerReflectionRequest{list_services = ""}: field 7, length 0.
for reply in info(iter([b"\x3a\x00"]), timeout=10):
    for name in (b"awsd.v1.SigningService", b"awsd.v1.SessionService", b"grpc.health.v1.Health"):
        print(name.decode(), name in reply)
)");
  auto result = RunProgram({"/usr/bin/python3", script.string(), socket()});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, "awsd.v1.SigningService True\nawsd.v1.SessionService True\ngrpc.health.v1.Health True\n")
      << result.err;
}

}  // namespace
}  // namespace awsd::test_support
