"""The compatibility endpoints with unmodified SDKs, end to end: boto3 and the
AWS CLI get their credentials from awsd's container endpoint (the right
token) and call moto_server with signature checks on, and fail with a wrong
token; the IMDS endpoint refuses a request without a token and serves boto3
with one; `aws` with `credential_process = awsctl credential-process` works.

    compat_endpoints_against_moto_test.py BIN_DIR

Starts moto_server and awsd on 127.0.0.1 / a temporary socket, and stops both.
"""
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "cli"))
from moto_support import (BIN_DIR, REGION, Checks, create_admin_key, free_port, listening, start_moto,  # noqa: E402
                          stop_processes, wait_until)

# What an unmodified boto3 program does: no credentials in sight, the
# environment says where to get them.
BOTO3_CALLER = """
import json, sys, boto3
sts = boto3.client("sts", endpoint_url=sys.argv[1])
print(json.dumps(sts.get_caller_identity()["Arn"]))
"""


def http(method, url, headers=None):
    """(status, body) of one request; errors are answers too."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def run(argv, env):
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)


def main():
    check = Checks()
    work = tempfile.mkdtemp(prefix="awsd-compat-")
    moto_port, container_port, imds_port = free_port(), free_port(), free_port()
    moto_url = f"http://127.0.0.1:{moto_port}"
    socket_path = os.path.join(work, "awsd.sock")
    moto = start_moto(moto_port)
    daemon = None
    try:
        wait_until(lambda: listening(moto_port), "moto_server")
        key = create_admin_key(moto_url, "compat-user")

        # The daemon's own files: profile dev holds the IAM user's key.
        with open(os.path.join(work, "credentials"), "w") as f:
            f.write(f"[dev]\naws_access_key_id = {key['AccessKeyId']}\n"
                    f"aws_secret_access_key = {key['SecretAccessKey']}\n")
        with open(os.path.join(work, "config"), "w") as f:
            f.write(f"[profile dev]\nregion = {REGION}\n")
        dev_token = secrets.token_urlsafe(24)
        with open(os.path.join(work, "dev.token"), "w") as f:
            f.write(dev_token + "\n")  # a trailing newline, as `echo` writes it
        os.chmod(os.path.join(work, "dev.token"), 0o600)
        with open(os.path.join(work, "awsd.toml"), "w") as f:
            f.write(f"[compat.container]\nport = {container_port}\n"
                    f"[[compat.container.profile]]\nname = \"dev\"\ntoken_file = \"{work}/dev.token\"\n"
                    f"[compat.imds]\nport = {imds_port}\nprofile = \"dev\"\n"
                    f"[compat.credential_process]\nallow_export = true\n")

        clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        daemon_env = dict(clean, AWS_CONFIG_FILE=os.path.join(work, "config"),
                          AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "credentials"),
                          AWS_EC2_METADATA_DISABLED="true", HOME=work)
        log_path = os.path.join(work, "awsd.log")
        daemon = subprocess.Popen([os.path.join(BIN_DIR, "awsd"), "--socket", socket_path, "--config",
                                   os.path.join(work, "awsd.toml"), "--log-level", "trace"],
                                  env=daemon_env, stdout=subprocess.DEVNULL, stderr=open(log_path, "w"))
        wait_until(lambda: listening(container_port) and listening(imds_port), "awsd's compat endpoints")

        # Clients see no credentials and no config files but what they are given.
        client = dict(clean, AWS_CONFIG_FILE=os.path.join(work, "no-config"),
                      AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "no-credentials"),
                      AWS_DEFAULT_REGION=REGION, HOME=work)
        user_arn = "arn:aws:iam::123456789012:user/compat-user"
        container = dict(client, AWS_CONTAINER_CREDENTIALS_FULL_URI=f"http://127.0.0.1:{container_port}/v1/credentials",
                         AWS_EC2_METADATA_DISABLED="true")

        # --- the container endpoint
        result = run([sys.executable, "-c", BOTO3_CALLER, moto_url],
                     dict(container, AWS_CONTAINER_AUTHORIZATION_TOKEN=dev_token))
        check("boto3 with the right token calls moto as the profile's user",
              result.returncode == 0 and json.loads(result.stdout or "null") == user_arn,
              result.stdout + result.stderr[-800:])
        token_file = os.path.join(work, "client.token")
        with open(token_file, "w") as f:
            f.write(dev_token)  # botocore refuses a token with a newline
        result = run([sys.executable, "-c", BOTO3_CALLER, moto_url],
                     dict(container, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=token_file))
        check("boto3 with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE works too", result.returncode == 0,
              result.stderr[-800:])
        result = run([sys.executable, "-c", BOTO3_CALLER, moto_url],
                     dict(container, AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong-" + dev_token))
        check("boto3 with a wrong token fails", result.returncode != 0 and "Traceback" in result.stderr,
              result.stdout + result.stderr[-400:])

        aws = ["aws", "sts", "get-caller-identity", "--endpoint-url", moto_url, "--output", "json"]
        result = run(aws, dict(container, AWS_CONTAINER_AUTHORIZATION_TOKEN=dev_token))
        check("aws with the right token calls moto as the profile's user",
              result.returncode == 0 and json.loads(result.stdout or "{}").get("Arn") == user_arn,
              result.stdout + result.stderr[-800:])
        result = run(aws, dict(container, AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong-" + dev_token))
        check("aws with a wrong token fails", result.returncode != 0, result.stdout + result.stderr[-400:])

        status, body = http("GET", f"http://127.0.0.1:{container_port}/v1/credentials")
        check("no token is 401 with a JSON error", status == 401 and "code" in json.loads(body), f"{status} {body}")
        status, body = http("GET", f"http://127.0.0.1:{container_port}/v1/credentials", {"Authorization": "nope"})
        check("a wrong token is 403 without secrets",
              status == 403 and key["SecretAccessKey"] not in body and dev_token not in body, f"{status} {body}")

        # --- the IMDS endpoint
        roles = f"http://127.0.0.1:{imds_port}/latest/meta-data/iam/security-credentials/"
        status, _ = http("GET", roles)
        check("IMDS: a request without a token is refused with 401", status == 401, str(status))
        status, imds_token = http("PUT", f"http://127.0.0.1:{imds_port}/latest/api/token",
                                  {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
        check("IMDS: PUT /latest/api/token gives a token", status == 200 and len(imds_token) >= 32, str(status))
        status, body = http("GET", roles, {"X-aws-ec2-metadata-token": imds_token})
        check("IMDS: the role listed is the profile", status == 200 and body == "dev", f"{status} {body}")
        status, _ = http("PUT", f"http://127.0.0.1:{imds_port}/latest/api/token",
                         {"X-aws-ec2-metadata-token-ttl-seconds": "60", "X-Forwarded-For": "10.1.2.3"})
        check("IMDS: a forwarded token request is refused", status == 403, str(status))
        imds = dict(client, AWS_EC2_METADATA_SERVICE_ENDPOINT=f"http://127.0.0.1:{imds_port}")
        result = run([sys.executable, "-c", BOTO3_CALLER, moto_url], imds)
        check("IMDS: boto3 gets the profile's credentials and calls moto",
              result.returncode == 0 and json.loads(result.stdout or "null") == user_arn,
              result.stdout + result.stderr[-800:])

        # --- credential_process
        with open(os.path.join(work, "client-config"), "w") as f:
            f.write(f"[profile viaawsd]\nregion = {REGION}\ncredential_process = "
                    f"{os.path.join(BIN_DIR, 'awsctl')} --socket {socket_path} credential-process --profile dev\n")
        result = run(aws + ["--profile", "viaawsd"], dict(client, AWS_CONFIG_FILE=os.path.join(work, "client-config"),
                                                           AWS_EC2_METADATA_DISABLED="true"))
        check("aws with credential_process = awsctl credential-process calls moto",
              result.returncode == 0 and json.loads(result.stdout or "{}").get("Arn") == user_arn,
              result.stdout + result.stderr[-800:])
        result = run([os.path.join(BIN_DIR, "awsctl"), "--socket", socket_path, "credential-process", "--profile"],
                     client)
        check("awsctl credential-process --profile without a name is a usage error (252)", result.returncode == 252,
              f"{result.returncode} {result.stderr}")
        result = run([os.path.join(BIN_DIR, "awsctl"), "--socket", socket_path, "credential-process", "--profile",
                      "missing"], client)
        check("awsctl credential-process for an unknown profile fails with 253 or 252",
              result.returncode in (252, 253), f"{result.returncode} {result.stderr}")

        with open(log_path) as f:
            log = f.read()
        check("the daemon's trace log names no secret or token",
              log and key["SecretAccessKey"] not in log and dev_token not in log and imds_token not in log,
              "a secret is in the log")
    finally:
        stop_processes(daemon, moto)
        shutil.rmtree(work, ignore_errors=True)
    check("awsd exited 0 on SIGTERM", daemon is not None and daemon.returncode == 0,
          str(daemon.returncode if daemon else None))
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
