"""The package's HTTP/2 transport (awsd._transport, _http2) against a real
daemon: requests and replies far larger than HTTP/2's default windows,
threads calling at once, the daemon's errors as awsd exceptions with its
text, a forked child beside its parent, a daemon restarted under pooled
connections, and no daemon at all.

    transport_test.py BIN_DIR PYTHON_DIR
"""
import hashlib
import os
import shutil
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "cli"))
PYTHON_DIR = os.path.abspath(sys.argv.pop(2))

import python_path  # noqa: E402
from moto_support import Checks, start_daemon, stop_processes  # noqa: E402

python_path.use_built_package(PYTHON_DIR)

from awsd import _transport, exceptions, messages  # noqa: E402


def sign_request(body):
    return messages.SignRequest(
        session=messages.SessionRef(spec=messages.SessionSpec(region="us-east-1")),
        request=messages.HttpRequest(method="PUT", url="https://bucket.s3.amazonaws.com/key", body=body),
        service="s3", region="us-east-1", content_sha256_header=True)


def signed_header(reply, name):
    return next((h.value for h in reply.request.headers if h.name.lower() == name), None)


def main():
    check = Checks()
    work = tempfile.mkdtemp(prefix="awsd-transport-")
    env = {"PATH": os.environ["PATH"], "HOME": work, "AWS_ACCESS_KEY_ID": "AKIDTRANSPORTTEST",
           "AWS_SECRET_ACCESS_KEY": "transport-test-secret-key", "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": os.path.join(work, "none"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(work, "none")}
    socket_path = os.path.join(work, "awsd.sock")
    daemon = None
    try:
        daemon = start_daemon(socket_path, env, os.path.join(work, "awsd.log"))
        connection = _transport.Daemon(socket_path)
        signing = _transport.Stub(connection, "awsd.v1.SigningService")

        # 3 MiB: many times the daemon's 64 KiB stream window and its 16 KiB frames.
        body = os.urandom(3 * 1024 * 1024 + 17)
        reply = signing.Sign(sign_request(body))
        check("a 3 MiB request arrives whole (the daemon hashes what it got)",
              signed_header(reply, "x-amz-content-sha256") == hashlib.sha256(body).hexdigest(),
              signed_header(reply, "x-amz-content-sha256"))

        ec2 = connection.invoke.DescribeService(messages.DescribeServiceRequest(service="ec2"))
        size = len(ec2.encode())
        check("a reply larger than HTTP/2's 64 KiB default window arrives whole (ec2 described)",
              size > 64 * 1024 and len(ec2.operations) > 500 and ec2.service == "ec2",
              f"{size} bytes, {len(ec2.operations)} operations")

        failures, results = [], {}

        def worker(index):
            try:
                for round_number in range(40):
                    piece = f"{index}-{round_number}".encode() * (1 + round_number * 50)
                    got = signed_header(signing.Sign(sign_request(piece)), "x-amz-content-sha256")
                    if got != hashlib.sha256(piece).hexdigest():
                        failures.append((index, round_number, got))
                results[index] = True
            except Exception as error:  # reported below, with the thread that saw it
                failures.append((index, repr(error)))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        check("16 threads x 40 calls at once, every answer its own", not failures and len(results) == 16,
              str(failures[:3]))
        check("the pool keeps a bounded number of idle connections",
              0 < len(connection._idle) <= _transport._MAX_IDLE, str(len(connection._idle)))

        # A forked child calls on its own connections while the parent keeps using its pool.
        shared = _transport.Daemon.at(socket_path)
        shared.invoke.DescribeService(messages.DescribeServiceRequest(service="sts"))
        child = os.fork()
        if child == 0:
            try:
                for _ in range(20):
                    _transport.Daemon.at(socket_path).invoke.DescribeService(
                        messages.DescribeServiceRequest(service="sts"))
                os._exit(0)
            except BaseException:
                os._exit(1)
        parent_ok = all(shared.invoke.DescribeService(messages.DescribeServiceRequest(service="sqs")).service == "sqs"
                        for _ in range(20))
        _, status = os.waitpid(child, 0)
        check("a forked child and its parent call at once, each on its own connections",
              parent_ok and os.waitstatus_to_exitcode(status) == 0, f"parent {parent_ok}, child status {status}")

        try:
            connection.invoke.DescribeService(messages.DescribeServiceRequest(service="no-such-sérvice"))
            check("an unknown service is UnknownServiceError", False, "no error")
        except exceptions.UnknownServiceError as error:
            check("an unknown service is UnknownServiceError, with the daemon's text (non-ASCII intact)",
                  error.code == exceptions.StatusCode.NOT_FOUND and "no-such-sérvice" in str(error), str(error))

        # The daemon restarts: pooled connections are dead, and the next call opens a new one.
        stop_processes(daemon)
        daemon = start_daemon(socket_path, env, os.path.join(work, "awsd-2.log"))
        reply = signing.Sign(sign_request(b"after the restart"))
        check("after a daemon restart, the next call succeeds on a new connection",
              signed_header(reply, "x-amz-content-sha256") == hashlib.sha256(b"after the restart").hexdigest())

        stop_processes(daemon)
        daemon = None
        try:
            signing.Sign(sign_request(b"nobody listens"))
            check("with no daemon, a call is DaemonUnavailableError", False, "no error")
        except exceptions.DaemonUnavailableError as error:
            check("with no daemon, a call is DaemonUnavailableError naming the socket",
                  error.code == exceptions.StatusCode.UNAVAILABLE and socket_path in str(error), str(error))
    finally:
        stop_processes(daemon)
        shutil.rmtree(work, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
