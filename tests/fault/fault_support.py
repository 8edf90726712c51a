"""What the fault-injection tests share: a real awsd started with a chosen
environment and daemon config in a temporary folder, fake HTTP servers on
127.0.0.1 that answer from a script and can be told to misbehave, awsctl
runs that are timed, and a bounded wait.

Every test script is run as `script.py BIN_DIR` (BIN_DIR holds awsd and
awsctl); the generic helpers (Checks, wait_until, free_port, stop_processes)
come from tests/cli/moto_support.py.
"""
import contextlib
import email.utils
import http.server
import json
import os
import shutil
import socket
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))

from moto_support import BIN_DIR, REGION, Checks, free_port, stop_processes, wait_until  # noqa: E402,F401

AWSD = os.path.join(BIN_DIR, "awsd")
AWSCTL = os.path.join(BIN_DIR, "awsctl")
# Fake keys only: the daemon's log is searched for the secret when it stops.
ACCESS_KEY_ID = "AKIDFAULTINJECTION1"
SECRET_ACCESS_KEY = "faultInjectionSecretKeyNotARealOne0000000"
SESSION_TOKEN = "faultInjectionSessionTokenNotARealOne000000"
IMDS_TOKEN = "faultImdsTokenValue000000000"


def wait_for_binaries(seconds=120):
    """awsd and awsctl may be relinked by a build running beside the tests:
    wait (bounded) until both exist, are executable and have stopped
    changing."""
    def ready():
        try:
            stats = [os.stat(path) for path in (AWSD, AWSCTL)]
        except OSError:
            return False
        if not all(os.access(path, os.X_OK) for path in (AWSD, AWSCTL)):
            return False
        return all(time.time() - s.st_mtime > 2 for s in stats)
    wait_until(ready, f"{AWSD} and {AWSCTL} to exist and be stable", seconds)


def clean_environment():
    """The test runner's environment without any AWS_ or AWSD_ variable."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "AWSD_"))}


# ---------------------------------------------------------------------------
# The daemon


class Daemon:
    """A real awsd on a temporary socket. `env` is added to a clean
    environment with no IMDS, region us-east-1, and the AWS config and
    credentials files in the work folder (written by write_config /
    write_credentials). `config` is the text of the daemon's TOML config."""

    def __init__(self, work, env=None, config=None, name="awsd"):
        self.work = work
        self.socket_path = os.path.join(work, name + ".sock")
        self.log_path = os.path.join(work, name + ".log")
        self.config_path = os.path.join(work, "aws-config")
        self.credentials_path = os.path.join(work, "aws-credentials")
        self.env = clean_environment()
        self.env.update(AWS_EC2_METADATA_DISABLED="true", AWS_DEFAULT_REGION=REGION,
                        AWS_CONFIG_FILE=self.config_path, AWS_SHARED_CREDENTIALS_FILE=self.credentials_path,
                        HOME=work)
        self.env.update(env or {})
        self.env = {k: v for k, v in self.env.items() if v is not None}
        self.daemon_config = None
        if config is not None:
            self.daemon_config = os.path.join(work, name + ".toml")
            with open(self.daemon_config, "w") as f:
                f.write(config)
        self.process = None
        self.starts = 0

    def start(self, wait=True):
        wait_for_binaries()
        command = [AWSD, "--socket", self.socket_path, "--log-level", "debug"]
        if self.daemon_config:
            command += ["--config", self.daemon_config]
        log = open(self.log_path, "a")
        try:
            self.process = subprocess.Popen(command, env=self.env, stdout=subprocess.DEVNULL, stderr=log)
        finally:
            log.close()
        self.starts += 1
        # What must never reach its log (stop_processes searches it).
        self.process.log_path = self.log_path
        self.process.secrets = [SECRET_ACCESS_KEY, SESSION_TOKEN, IMDS_TOKEN] + [
            v for k, v in self.env.items() if ("SECRET" in k or "TOKEN" in k) and len(v) >= 12]
        if wait:
            wait_until(lambda: self.process.poll() is not None or self.healthy(), "awsd to answer health", 30)
            if self.process.poll() is not None:
                raise AssertionError(f"awsd exited with {self.process.returncode} at start: {self.log_tail()}")
        return self

    def healthy(self):
        result = self.ctl("health", timeout=10)
        return result.returncode == 0 and "SERVING" in result.stdout

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def ctl(self, *args, timeout=30, env=None):
        """awsctl against this daemon; a TimedRun (returncode, stdout,
        stderr, seconds). A run past `timeout` is killed and reported with
        returncode None."""
        return run_timed([AWSCTL, "--socket", self.socket_path, *args], timeout=timeout,
                         env=env or dict(clean_environment(), AWS_REGION=REGION))

    def kill9(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self):
        """SIGTERM, bounded wait, SIGKILL; fails when the log holds a secret."""
        process, self.process = self.process, None
        stop_processes(process)

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, lines=15):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def write_config(self, text):
        write_atomically(self.config_path, text)

    def write_credentials(self, text):
        write_atomically(self.credentials_path, text)


def write_atomically(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        f.write(text)
    os.replace(temporary, path)


class TimedRun:
    def __init__(self, returncode, stdout, stderr, seconds):
        self.returncode, self.stdout, self.stderr, self.seconds = returncode, stdout, stderr, seconds

    def __repr__(self):
        return (f"exit {self.returncode} after {self.seconds:.2f}s, stdout {self.stdout[:300]!r}, "
                f"stderr {self.stderr[:400]!r}")


def run_timed(command, timeout=30, env=None):
    started = time.monotonic()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
        return TimedRun(result.returncode, result.stdout, result.stderr, time.monotonic() - started)
    except subprocess.TimeoutExpired as expired:
        def text(value):
            return value.decode(errors="replace") if isinstance(value, bytes) else (value or "")
        return TimedRun(None, text(expired.stdout), text(expired.stderr), time.monotonic() - started)


@contextlib.contextmanager
def work_folder(prefix):
    work = tempfile.mkdtemp(prefix=prefix)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def running_daemon(work, env=None, config=None, aws_config=None, aws_credentials=None, name="awsd"):
    """A started Daemon, stopped (and its log searched for secrets) after."""
    daemon = Daemon(work, env=env, config=config, name=name)
    if aws_config is not None:
        daemon.write_config(aws_config)
    if aws_credentials is not None:
        daemon.write_credentials(aws_credentials)
    try:
        daemon.start()
        yield daemon
    finally:
        if daemon.process is not None:
            daemon.stop()


def static_keys_env():
    return {"AWS_ACCESS_KEY_ID": ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY}


# ---------------------------------------------------------------------------
# Fake HTTP servers


class Reply:
    """One scripted answer. kind: "http" (status, headers, body), "reset"
    (the connection is reset: RST, nothing sent), "close" (closed with
    nothing sent), "truncate" (the head announces len(body) + missing bytes,
    part of the body is sent, then the connection closes). `delay` seconds
    pass before anything is done (bounded by the server's stop)."""

    def __init__(self, kind="http", status=200, headers=None, body=b"", delay=0.0, missing=0):
        self.kind, self.status, self.delay, self.missing = kind, status, delay, missing
        self.headers = dict(headers or {})
        self.body = body.encode() if isinstance(body, str) else body

    def __repr__(self):
        return f"Reply({self.kind}, {self.status}, delay={self.delay})"


def ok(body=b"", status=200, headers=None, delay=0.0):
    return Reply("http", status, headers, body, delay)


def reset(delay=0.0):
    return Reply("reset", delay=delay)


def truncated(body, status=200, headers=None, missing=100):
    return Reply("truncate", status, headers, body, missing=missing)


class Recorded:
    def __init__(self, method, path, headers, body, arrived):
        self.method, self.path, self.headers, self.body, self.arrived = method, path, headers, body, arrived

    def header(self, name):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def __repr__(self):
        return f"{self.method} {self.path}"


class FakeServer:
    """An HTTP/1.1 server on 127.0.0.1:0 in a thread. `respond(request,
    number)` returns the Reply to the request (number counts requests from
    0); `script(replies, then)` builds one from a list. Every request is
    recorded (`requests`)."""

    def __init__(self, respond):
        self.respond = respond
        self.requests = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
                    body = self._read_chunked()
                with outer.lock:
                    number = len(outer.requests)
                    record = Recorded(self.command, self.path, dict(self.headers.items()), body, time.time())
                    outer.requests.append(record)
                reply = outer.respond(record, number)
                if reply.delay and outer.stopping.wait(reply.delay):
                    self.close_connection = True
                    return
                if reply.kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                if reply.kind == "close":
                    self.close_connection = True
                    return
                self.send_response_only(reply.status)
                headers = {"Date": email.utils.formatdate(usegmt=True)}
                headers.update(reply.headers)
                for key, value in headers.items():
                    self.send_header(key, value)
                if reply.kind == "truncate":
                    self.send_header("Content-Length", str(len(reply.body) + reply.missing))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(reply.body)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def _read_chunked(self):
                data = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return data
                    data += self.rfile.read(size)
                    self.rfile.readline()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

            def handle(self):
                try:
                    super().handle()
                except OSError:
                    pass

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def handle_error(self, request, client_address):
                # A bug in a test's respond function: say so (the client
                # sees the connection closed).
                import traceback
                print(f"fake server: error answering {client_address}:", file=sys.stderr)
                traceback.print_exc()

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def count(self, predicate=lambda r: True):
        with self.lock:
            return sum(1 for r in self.requests if predicate(r))

    def matching(self, predicate=lambda r: True):
        with self.lock:
            return [r for r in self.requests if predicate(r)]


def script(replies, then=None):
    """A respond function giving replies[0], replies[1], ... to the requests
    it sees (counted from its own first) then `then` (a Reply, or a function
    of (request, number)) for every later request."""
    replies = list(replies)
    counter = iter(range(1 << 30))

    def respond(request, number):
        own = next(counter)
        if own < len(replies):
            return replies[own]
        return then(request, number) if callable(then) else then
    return respond


class SilentListener:
    """A TCP port on 127.0.0.1 that accepts connections (the kernel
    completes them into the backlog) and never answers."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.socket.close()


def closed_port():
    """A 127.0.0.1 port nothing listens on (bound then released)."""
    return free_port()


# ---------------------------------------------------------------------------
# Fake answers


def imds_credentials_document(expiration, key_id=ACCESS_KEY_ID):
    return json.dumps({"Code": "Success", "LastUpdated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       "Type": "AWS-HMAC", "AccessKeyId": key_id, "SecretAccessKey": SECRET_ACCESS_KEY,
                       "Token": SESSION_TOKEN, "Expiration": expiration})


def iso_in(seconds, strict=True):
    """A UTC time `seconds` from now: strict is botocore's
    %Y-%m-%dT%H:%M:%SZ; otherwise an RFC 3339 form with an offset, which
    the daemon uses as given (no refresh-window extension)."""
    when = time.gmtime(time.time() + seconds)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ" if strict else "%Y-%m-%dT%H:%M:%S+00:00", when)


def sts_assume_role_body(seconds=3600, key_id="ASIAFAULTASSUMED0001"):
    expiration = iso_in(seconds)
    return (f'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
            f"<Credentials><AccessKeyId>{key_id}</AccessKeyId><SecretAccessKey>{SECRET_ACCESS_KEY}"
            f"</SecretAccessKey><SessionToken>{SESSION_TOKEN}</SessionToken><Expiration>{expiration}"
            f"</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAULT:s</AssumedRoleId>"
            f"<Arn>arn:aws:sts::123456789012:assumed-role/fault/s</Arn></AssumedRoleUser></AssumeRoleResult>"
            f"<ResponseMetadata><RequestId>req-assume</RequestId></ResponseMetadata></AssumeRoleResponse>")


def sts_error_body(code, message="fault injected", kind="Sender"):
    return (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>{kind}</Type>'
            f"<Code>{code}</Code><Message>{message}</Message></Error><RequestId>req-error</RequestId>"
            f"</ErrorResponse>")


def json_error(code, message="fault injected", status=400):
    return ok(json.dumps({"__type": code, "message": message}), status=status,
              headers={"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "req-json-error"})


def list_tables_ok(names=("fault-table",)):
    return ok(json.dumps({"TableNames": list(names)}),
              headers={"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "req-list-tables"})


def s3_error(code, status, message="fault injected"):
    return ok(f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message>"
              f"<RequestId>req-s3-error</RequestId></Error>", status=status,
              headers={"Content-Type": "application/xml", "x-amz-request-id": "req-s3-error"})


def s3_list_ok(bucket="fault-bucket", keys=("a.txt",)):
    contents = "".join(f"<Contents><Key>{k}</Key><Size>1</Size><StorageClass>STANDARD</StorageClass>"
                       f"<LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;e&quot;</ETag></Contents>"
                       for k in keys)
    return ok(f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult "
              f"xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{bucket}</Name><Prefix></Prefix>"
              f"<KeyCount>{len(keys)}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
              f"{contents}</ListBucketResult>",
              headers={"Content-Type": "application/xml", "x-amz-request-id": "req-s3-list"})


def run_case(check, name, function, *args):
    """Runs one scenario function; an exception in it is a failed check
    (with its message), not a crash of the whole script."""
    print(f"--- {name}")
    started = time.monotonic()
    try:
        function(check, *args)
    except Exception as error:  # noqa: BLE001: reported as a failure
        import traceback
        traceback.print_exc()
        check(f"{name} ran to its end", False, f"{type(error).__name__}: {error}")
    print(f"--- {name}: {time.monotonic() - started:.1f}s")


def imds(expires_in=3600, strict=True, failure=None, delay=lambda: 0.0, role="fault-role"):
    """A respond function for a fake IMDSv2: PUT latest/api/token, GET the
    role name, GET the role's credentials (expiring `expires_in` seconds
    after each answer). `failure(request, number)` may return a Reply
    (500, reset) to answer instead; `delay()` seconds pass before each
    answer."""
    def respond(request, number):
        if failure is not None:
            failed = failure(request, number)
            if failed is not None:
                return failed
        if request.method == "PUT" and request.path.endswith("/latest/api/token"):
            return ok(IMDS_TOKEN, delay=delay(),
                      headers={"x-aws-ec2-metadata-token-ttl-seconds": "21600"})
        if request.path.endswith("/latest/meta-data/iam/security-credentials/"):
            return ok(role, delay=delay())
        if request.path.endswith("/latest/meta-data/iam/security-credentials/" + role):
            return ok(imds_credentials_document(iso_in(expires_in, strict)), delay=delay(),
                      headers={"Content-Type": "text/plain"})
        return ok("not found", status=404)
    return respond


def imds_env(endpoint, **settings):
    """The daemon's environment for an IMDS test: IMDS on, at `endpoint`."""
    env = {"AWS_EC2_METADATA_DISABLED": None, "AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint}
    env.update(settings)
    return env


def credentials_ok(result):
    try:
        return result.returncode == 0 and json.loads(result.stdout)["access_key_id"] == ACCESS_KEY_ID
    except (ValueError, KeyError, TypeError):
        return False
