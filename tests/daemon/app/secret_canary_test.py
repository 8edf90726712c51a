"""No secret leaves the daemon but through an authorised export: awsd runs at
trace level with known canary secrets (static keys in a credentials file, a
credential_process returning a session token, a container-endpoint token),
signs, invokes against a fake AWS server (answering one call, refusing
another), fails a call on a closed port, and refuses bad requests; then its
log and every error message are searched for the canaries and for every
signature it computed. Access key ids may appear only masked.

    secret_canary_test.py BIN_DIR

Starts awsd on a temporary socket and a fake AWS server on 127.0.0.1, and
stops both.
"""
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "cli"))
from moto_support import BIN_DIR, Checks, free_port, listening, stop_processes, wait_until  # noqa: E402

STATIC_KEY_ID = "AKIACANARY00STATIC01"
STATIC_SECRET = "CANARYsecretSTATIC0123456789abcdefghijkl"
PROCESS_KEY_ID = "ASIACANARY000PROC001"
PROCESS_SECRET = "CANARYsecretPROCESS0123456789abcdefghijk"
PROCESS_TOKEN = "CANARYtokenPROCESS" + "x" * 300
CONTAINER_TOKEN = "CANARYcontainerTOKEN0123456789"
SECRETS = [STATIC_SECRET, PROCESS_SECRET, PROCESS_TOKEN, CONTAINER_TOKEN,
           PROCESS_TOKEN[:40]]  # a prefix too: a truncated token is still a leak

IDENTITY = ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
            "<Arn>arn:aws:iam::123456789012:user/canary</Arn><UserId>AIDACANARY</UserId>"
            "<Account>123456789012</Account></GetCallerIdentityResult>"
            "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>")
REFUSAL = ("<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
           "<Message>The request signature we calculated does not match the signature you provided.</Message>"
           "</Error><RequestId>req-2</RequestId></ErrorResponse>")


class FakeAws(http.server.BaseHTTPRequestHandler):
    """STS: GetCallerIdentity answered, anything else refused (403).
    Records every signature and token it was sent."""
    signatures = []
    tokens = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        FakeAws.signatures += re.findall(r"Signature=([0-9a-f]{64})", self.headers.get("Authorization", ""))
        if self.headers.get("X-Amz-Security-Token"):
            FakeAws.tokens.append(self.headers["X-Amz-Security-Token"])
        ok = "Action=GetCallerIdentity" in body
        reply = (IDENTITY if ok else REFUSAL).encode()
        self.send_response(200 if ok else 403)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def main():
    check = Checks()
    work = tempfile.mkdtemp(prefix="awsd-canary-")
    socket_path = os.path.join(work, "awsd.sock")
    fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeAws)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    fake_url = f"http://127.0.0.1:{fake.server_address[1]}"
    container_port = free_port()
    daemon = None
    errors = []  # every error message a client saw
    try:
        with open(os.path.join(work, "credentials"), "w") as f:
            f.write(f"[default]\naws_access_key_id = {STATIC_KEY_ID}\naws_secret_access_key = {STATIC_SECRET}\n")
        with open(os.path.join(work, "process.py"), "w") as f:
            f.write("import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': %r, 'SecretAccessKey': %r, "
                    "'SessionToken': %r, 'Expiration': '2099-01-01T00:00:00Z'}))\n"
                    % (PROCESS_KEY_ID, PROCESS_SECRET, PROCESS_TOKEN))
        with open(os.path.join(work, "config"), "w") as f:
            f.write("[default]\nregion = us-east-1\n"
                    f"[profile proc]\nregion = us-east-1\ncredential_process = {sys.executable} {work}/process.py\n")
        with open(os.path.join(work, "container.token"), "w") as f:
            f.write(CONTAINER_TOKEN)
        with open(os.path.join(work, "awsd.toml"), "w") as f:
            f.write(f"[compat.container]\nport = {container_port}\n"
                    f"[[compat.container.profile]]\nname = \"proc\"\ntoken_file = \"{work}/container.token\"\n"
                    # The endpoint hands out credentials: an export the default policy allows only so.
                    f"[compat.credential_process]\nallow_export = true\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_CONFIG_FILE=os.path.join(work, "config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "credentials"),
                   AWS_EC2_METADATA_DISABLED="true", HOME=work)
        log_path = os.path.join(work, "awsd.log")
        daemon = subprocess.Popen([os.path.join(BIN_DIR, "awsd"), "--socket", socket_path, "--log-level", "trace",
                                   "--config", os.path.join(work, "awsd.toml")],
                                  env=env, stdout=subprocess.DEVNULL, stderr=open(log_path, "w"))
        client_env = dict({k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, AWS_REGION="us-east-1")

        def awsctl(*args):
            result = subprocess.run([os.path.join(BIN_DIR, "awsctl"), "--socket", socket_path, *args],
                                    capture_output=True, text=True, timeout=60, env=client_env)
            errors.append(result.stderr)
            return result

        wait_until(lambda: awsctl("health").returncode == 0 and listening(container_port), "awsd")

        # Signing, as both profiles; the reply (an authorised answer) carries the signature.
        for profile in ("default", "proc"):
            result = awsctl("--profile", profile, "sign", "--method", "GET", "--url", "https://example.amazonaws.com/",
                            "--service", "s3", "--region", "us-east-1")
            signed = json.loads(result.stdout) if result.returncode == 0 else {}
            check(f"sign as {profile}", bool(signed.get("signature")), result.stderr)
            if signed.get("signature"):
                FakeAws.signatures.append(signed["signature"])

        # Invocations: answered, refused by the service, and unreachable.
        result = awsctl("--profile", "proc", "--endpoint-url", fake_url, "sts", "get-caller-identity")
        check("an answered call through the daemon", result.returncode == 0 and "canary" in result.stdout,
              result.stderr)
        result = awsctl("--profile", "default", "--endpoint-url", fake_url, "sts", "get-session-token")
        check("a call the service refuses is a 254 naming the code",
              result.returncode == 254 and "SignatureDoesNotMatch" in result.stderr, result.stderr)
        result = awsctl("--profile", "proc", "--endpoint-url", f"http://127.0.0.1:{free_port()}", "sts",
                        "get-caller-identity")
        check("a call to a closed port fails", result.returncode != 0, result.stdout)
        result = awsctl("--profile", "nosuchprofile", "credentials")
        check("an unknown profile fails", result.returncode != 0, result.stdout)
        result = awsctl("--profile", "proc", "credential-process")
        # allow_export lets the daemon's own uid export (refusals: tests/daemon/security); the
        # secret is in this authorised reply's stdout, which is not searched, and in no stderr.
        check("credential-process exports as allow_export permits", result.returncode == 0 and
              json.loads(result.stdout or "{}").get("SessionToken") == PROCESS_TOKEN, result.stderr)

        # The container endpoint: a wrong token, then the right one (an authorised export).
        for token in ("wrong-" + CONTAINER_TOKEN, CONTAINER_TOKEN[:-1]):
            request = urllib.request.Request(f"http://127.0.0.1:{container_port}/", headers={"Authorization": token})
            try:
                urllib.request.urlopen(request, timeout=10)
                errors.append("unexpected success")
            except urllib.error.HTTPError as error:
                errors.append(error.read().decode())
        request = urllib.request.Request(f"http://127.0.0.1:{container_port}/",
                                         headers={"Authorization": CONTAINER_TOKEN})
        with urllib.request.urlopen(request, timeout=10) as response:
            exported = json.loads(response.read())
        check("the container endpoint exports with the right token", exported.get("Token") == PROCESS_TOKEN,
              str(exported.keys()))
    finally:
        stop_processes(daemon)
        fake.shutdown()

    with open(log_path) as f:
        log = f.read()
    shutil.rmtree(work, ignore_errors=True)
    # The daemon logs every call (at info); trace adds the rest there is.
    check("the log is not empty and names the calls", len(log.splitlines()) > 5 and "call method=" in log,
          f"{len(log)} bytes")
    check("the fake server saw signatures and the session token",
          len(FakeAws.signatures) >= 4 and PROCESS_TOKEN in FakeAws.tokens, str(len(FakeAws.signatures)))
    check("errors were collected", len([e for e in errors if e.strip()]) >= 5, str(len(errors)))
    for name, text in (("the daemon's log", log), ("the error messages", "\n".join(errors))):
        leaked = [s[:12] + "..." for s in SECRETS if s in text]
        check(f"no canary secret or token in {name}", not leaked, str(leaked))
        signatures = [s[:12] + "..." for s in FakeAws.signatures if s in text]
        check(f"no computed signature in {name}", not signatures, str(signatures))
        check(f"no full access key id in {name}", STATIC_KEY_ID not in text and PROCESS_KEY_ID not in text,
              "an unmasked access key id")
    masked = [k[:4] + "*" * (len(k) - 8) + k[-4:] for k in (STATIC_KEY_ID, PROCESS_KEY_ID)]
    check("access key ids appear masked in the log", any(m in log for m in masked), f"none of {masked}")
    check("awsd exited 0 on SIGTERM", daemon is not None and daemon.returncode == 0,
          str(daemon.returncode if daemon else None))
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
