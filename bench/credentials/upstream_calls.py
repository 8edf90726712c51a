#!/usr/bin/env python3
"""The point of the daemon, counted: N processes each wanting credentials
from instance metadata. N boto3 processes each ask a fake IMDS on 127.0.0.1
themselves; N awsctl processes ask one awsd, which asks IMDS once. Prints
the IMDS requests of each side and the ratio."""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROLE = "bench-role"
CREDENTIALS = {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIABENCHMARK",
               "SecretAccessKey": "bench-secret", "Token": "bench-token", "Expiration": "2099-01-01T00:00:00Z",
               "LastUpdated": "2024-01-01T00:00:00Z"}


class FakeImds(BaseHTTPRequestHandler):
    count = 0
    lock = threading.Lock()

    def _answer(self, status, body):
        with FakeImds.lock:
            FakeImds.count += 1
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        self._answer(200, "bench-imds-token") if self.path == "/latest/api/token" else self._answer(404, "")

    def do_GET(self):
        if self.path == "/latest/meta-data/iam/security-credentials/":
            self._answer(200, ROLE)
        elif self.path == "/latest/meta-data/iam/security-credentials/" + ROLE:
            self._answer(200, json.dumps(CREDENTIALS))
        else:
            self._answer(404, "")

    def log_message(self, *args):
        pass


def run_all(commands, env):
    processes = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands]
    failures = 0
    for p in processes:
        out, err = p.communicate(timeout=120)
        if p.returncode != 0 or b"ASIABENCHMARK" not in out:
            failures += 1
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeImds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work = tempfile.mkdtemp(prefix="awsd-upstream-")
    daemon = None
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:%d/" % server.server_address[1],
                   AWS_CONFIG_FILE=os.path.join(work, "none"), AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "none"),
                   HOME=work)
        boto3 = [[sys.executable, "-c", "import boto3; print(boto3.Session().get_credentials()"
                  ".get_frozen_credentials().access_key)"]] * args.processes
        started = time.monotonic()
        boto3_failures = run_all(boto3, env)
        boto3_seconds = time.monotonic() - started
        boto3_calls, FakeImds.count = FakeImds.count, 0

        socket_path = os.path.join(work, "awsd.sock")
        daemon = subprocess.Popen([os.path.join(args.bin_dir, "awsd"), "--socket", socket_path], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(socket_path):
                break
            time.sleep(0.025)
        awsctl = [[os.path.join(args.bin_dir, "awsctl"), "--socket", socket_path, "credentials"]] * args.processes
        client_env = {k: v for k, v in env.items() if k != "AWS_EC2_METADATA_SERVICE_ENDPOINT"}
        started = time.monotonic()
        awsd_failures = run_all(awsctl, client_env)
        awsd_seconds = time.monotonic() - started
        awsd_calls = FakeImds.count
    finally:
        if daemon is not None:
            daemon.terminate()
            daemon.wait(timeout=30)
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps({"processes": args.processes, "boto3_imds_requests": boto3_calls,
                          "boto3_failures": boto3_failures, "boto3_seconds": round(boto3_seconds, 3),
                          "awsd_imds_requests": awsd_calls, "awsd_failures": awsd_failures,
                          "awsd_seconds": round(awsd_seconds, 3)}))
        return 1 if awsd_failures else 0
    print("%d processes getting IMDS credentials:" % args.processes)
    print("  boto3 processes: %4d IMDS requests, %d without credentials (%.2f s wall)"
          % (boto3_calls, boto3_failures, boto3_seconds))
    print("  awsctl via awsd: %4d IMDS requests, %d without credentials (%.2f s wall)"
          % (awsd_calls, awsd_failures, awsd_seconds))
    if awsd_calls:
        print("  ratio: %.1fx fewer upstream requests" % (boto3_calls / awsd_calls))
    return 1 if awsd_failures else 0


if __name__ == "__main__":
    sys.exit(main())
