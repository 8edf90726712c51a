"""What the integration tests that run awsd against moto_server share: ports,
waiting, running awsctl, sending what it signed, and counting checks."""
import contextlib
import json
import os
import shutil
import tempfile
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3

REGION = "us-east-1"
# Every test script using this is run as `script.py BIN_DIR`.
BIN_DIR = sys.argv[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, what, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def listening(port):
    # A TCP connect, not a request: moto counts every request against
    # INITIAL_NO_AUTH_ACTION_COUNT.
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def awsctl(socket_path, *args):
    return subprocess.run([os.path.join(BIN_DIR, "awsctl"), "--socket", socket_path, *args],
                          capture_output=True, text=True, timeout=30)


def send(signed):
    """Sends what awsctl sign printed; returns (status, body)."""
    body = signed.get("body")
    request = urllib.request.Request(signed["url"], method=signed["method"], data=body,
                                     headers=signed["headers"])
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def start_moto(port):
    """moto_server on 127.0.0.1:port, checking signatures after the first
    three (unauthenticated) calls, which create_admin_key makes."""
    return subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                            env=dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3", AWS_DEFAULT_REGION=REGION),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def create_admin_key(endpoint, user):
    """The three unauthenticated calls: a user allowed everything, and its
    access key (boto3's AccessKey dict)."""
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    return iam.create_access_key(UserName=user)["AccessKey"]


def moto_environments(work, key, endpoint):
    """The environments of a test against moto: the daemon's (the key, the
    endpoint, no config files, no IMDS), the AWS CLI's and boto3's (the same
    but the endpoint, passed on the command line) and awsctl's (a region
    only: it never reads credentials). Returns (daemon, aws, awsctl)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    no_files = {"AWS_CONFIG_FILE": os.path.join(work, "no-config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(work, "no-credentials"),
                "AWS_EC2_METADATA_DISABLED": "true"}
    credentials = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}
    # botocore reads the region from AWS_DEFAULT_REGION only; AWS_REGION is set too, as a user would.
    daemon = dict(clean, **no_files, **credentials, AWS_ENDPOINT_URL=endpoint, AWS_REGION=REGION,
                  AWS_DEFAULT_REGION=REGION)
    aws = dict(clean, **no_files, **credentials, AWS_DEFAULT_REGION=REGION)
    return daemon, aws, dict(clean, AWS_REGION=REGION)


def start_daemon(socket_path, env, log_path):
    """awsd on socket_path with exactly `env`, logging to log_path; returns
    its process once it answers the health check."""
    daemon = subprocess.Popen([os.path.join(BIN_DIR, "awsd"), "--socket", socket_path, "--log-level", "trace"],
                              env=env, stdout=subprocess.DEVNULL, stderr=open(log_path, "w"))
    # What must never reach its log, searched when stop_processes stops it.
    daemon.log_path = log_path
    daemon.secrets = [v for k, v in env.items() if ("SECRET" in k or "TOKEN" in k) and len(v) >= 12]
    wait_until(lambda: subprocess.run([os.path.join(BIN_DIR, "awsctl"), "--socket", socket_path, "health"],
                                      capture_output=True, timeout=10).returncode == 0, "awsd")
    return daemon


def stop_processes(*processes):
    """SIGTERM to each process started (None is skipped), then a bounded wait,
    then SIGKILL for any still running; then each daemon's log is searched
    for the secrets it was given (start_daemon), and a hit fails the test."""
    running = [process for process in processes if process]
    for process in running:
        process.terminate()
    for process in running:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    leaked = [process.log_path for process in running if _log_holds_secret(process)]
    if leaked:
        raise AssertionError(f"a daemon's log holds a secret it was given: {leaked}")


def _log_holds_secret(process):
    secrets = getattr(process, "secrets", ())
    if not secrets:
        return False
    with open(process.log_path, errors="replace") as log:
        text = log.read()
    return any(secret in text for secret in secrets)


class AwsdAgainstMoto:
    """What awsd_against_moto gives: the moto endpoint, the admin key, the
    daemon's socket, a work folder, and the environments moto_environments
    makes (daemon, aws, awsctl)."""


@contextlib.contextmanager
def awsd_against_moto(prefix, user):
    """moto_server checking signatures, an admin key, and an awsd holding the
    key and the endpoint; both stopped and the work folder removed after."""
    setup = AwsdAgainstMoto()
    setup.work = tempfile.mkdtemp(prefix=prefix)
    port = free_port()
    setup.endpoint = f"http://127.0.0.1:{port}"
    moto = start_moto(port)
    daemon = None
    try:
        wait_until(lambda: listening(port), "moto_server")
        setup.key = create_admin_key(setup.endpoint, user)
        setup.daemon_env, setup.aws_env, setup.awsctl_env = moto_environments(setup.work, setup.key, setup.endpoint)
        setup.socket_path = os.path.join(setup.work, "awsd.sock")
        daemon = start_daemon(setup.socket_path, setup.daemon_env, os.path.join(setup.work, "awsd.log"))
        yield setup
    finally:
        stop_processes(daemon, moto)
        shutil.rmtree(setup.work, ignore_errors=True)


def fetch(url):
    """(HTTP status, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Checks:
    """Named checks: each printed as it runs, failures listed at the end."""

    def __init__(self):
        self.passed = 0
        self.failures = []

    def __call__(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failures.append(name)
            print(f"FAIL {name}: {detail}")

    def summary(self):
        print(f"{self.passed} passed, {len(self.failures)} failed")
        return 1 if self.failures else 0


# Comparing two answers to the same call (awsd's and the reference's).
MASKED = "<generated>"


def mask_generated(value, patterns, side_tokens=(), path=()):
    """The value with what the server generated masked: the values at the
    dotted paths in `patterns` ("Vpc.VpcId", "Vpcs.*.VpcId"; "*" is any list
    index) become MASKED (their keys stay, so key sets are still compared),
    and each of `side_tokens` (the per-side part of created names) becomes
    "<side>" in strings."""
    if any(_path_matches(pattern, path) for pattern in patterns):
        return MASKED
    if isinstance(value, dict):
        return {k: mask_generated(v, patterns, side_tokens, path + (k,)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_generated(v, patterns, side_tokens, path + ("*",)) for v in value]
    if isinstance(value, str):
        for token in side_tokens:
            value = value.replace(token, "<side>")
    return value


def _path_matches(pattern, path):
    parts = tuple(pattern.split("."))
    return len(parts) == len(path) and all(p == "*" or p == q for p, q in zip(parts, path))


def first_difference(a, b, path="$"):
    """Where a (via awsd) and b (the reference) first differ, or None."""
    if type(a) is not type(b):
        return f"{path}: {a!r} vs {b!r}"
    if isinstance(a, dict):
        if set(a) != set(b):
            return f"{path}: keys only via awsd {sorted(set(a) - set(b))}, only in the reference {sorted(set(b) - set(a))}"
        for key in a:
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} via awsd vs {b!r} in the reference"
