"""Fault injection, STS (scenario 4 of issue 10): an assume-role profile
(`[profile r] role_arn, source_profile = base`) whose STS endpoint
(AWS_ENDPOINT_URL_STS) is a fake that answers 500, 400 Throttling and a
reset connection before succeeding, or that keeps failing.

    sts_fault_test.py BIN_DIR

Lower-level tests of the same faults: tests/daemon/sts/sts_retry_test.cc.
"""
import sys

from fault_support import (ACCESS_KEY_ID, SECRET_ACCESS_KEY, Checks, FakeServer, ok, reset, run_case,
                           running_daemon, script, sts_assume_role_body, sts_error_body, work_folder)
import json

ROLE_ARN = "arn:aws:iam::123456789012:role/fault"
AWS_CONFIG = (f"[profile base]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n"
              f"[profile r]\nrole_arn = {ROLE_ARN}\nsource_profile = base\nregion = us-east-1\n")


def assume_role_requests(fake):
    return fake.matching(lambda r: r.method == "POST" and b"Action=AssumeRole" in r.body)


def test_sts_retried_then_success(check):
    """500 InternalError, 400 Throttling, a reset connection, then the
    answer: with botocore's default (legacy) retry mode the daemon tries 4
    times and the caller gets the assumed credentials."""
    replies = [ok(sts_error_body("InternalError", "We encountered an internal error", "Receiver"), status=500),
               # Closed after, so the reset is on a fresh connection: libcurl
               # itself resends a request whose reused connection died.
               ok(sts_error_body("Throttling", "Rate exceeded"), status=400, headers={"Connection": "close"}),
               reset()]
    with work_folder("awsd-fault-sts-") as work, \
            FakeServer(script(replies, ok(sts_assume_role_body(), headers={"Content-Type": "text/xml"}))) as sts:
        with running_daemon(work, env={"AWS_ENDPOINT_URL_STS": sts.url}, aws_config=AWS_CONFIG) as daemon:
            result = daemon.ctl("--profile", "r", "credentials", timeout=40)
            try:
                info = json.loads(result.stdout) if result.returncode == 0 else {}
            except ValueError:
                info = {}
            check("STS 500, Throttling, reset, then OK: the call succeeds with assumed credentials",
                  info.get("source") == "assume-role" and info.get("access_key_id") == "ASIAFAULTASSUMED0001",
                  repr(result))
            attempts = assume_role_requests(sts)
            check("STS 500, Throttling, reset, then OK: the fake saw exactly 4 AssumeRole attempts",
                  len(attempts) == 4 and sts.count() == 4, f"{sts.requests}")
            check("STS retries: every attempt was signed with the base profile's key",
                  all((r.header("Authorization") or "").startswith(
                      f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY_ID}/") for r in attempts),
                  str([r.header("Authorization") for r in attempts]))
            # Cached: another call needs no STS.
            again = daemon.ctl("--profile", "r", "credentials")
            check("STS: the assumed credentials are cached (no 5th attempt)",
                  again.returncode == 0 and sts.count() == 4, f"{again!r}, {sts.count()} requests")


def test_sts_keeps_failing(check):
    """STS throttles every attempt: the caller gets a clear error naming
    the code and the attempts, within the retry budget (standard mode, 3
    attempts), not a hang; and the daemon serves the next call."""
    throttled = ok(sts_error_body("Throttling", "Rate exceeded"), status=400)
    with work_folder("awsd-fault-sts-fail-") as work, FakeServer(script([], throttled)) as sts:
        env = {"AWS_ENDPOINT_URL_STS": sts.url, "AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "3"}
        with running_daemon(work, env=env, aws_config=AWS_CONFIG) as daemon:
            result = daemon.ctl("--profile", "r", "credentials", timeout=40)
            check("STS always throttling: the call fails (not exit 0, not killed by the 40 s guard)",
                  result.returncode not in (0, None), repr(result))
            check("STS always throttling: the error names Throttling, STS AssumeRole and the 3 attempts",
                  "Throttling" in result.stderr and "AssumeRole" in result.stderr and "3 attempts" in result.stderr,
                  repr(result))
            check("STS always throttling: it fails within 10 s (3 attempts, jittered back-off)",
                  result.returncode is not None and result.seconds < 10, repr(result))
            check("STS always throttling: the fake saw exactly 3 attempts", len(assume_role_requests(sts)) == 3,
                  str(sts.requests))
            check("STS always throttling: the error holds no secret",
                  SECRET_ACCESS_KEY not in result.stderr and SECRET_ACCESS_KEY not in result.stdout)
            # A reset on every attempt too.
            sts.respond = script([], reset())
            before = sts.count()
            result = daemon.ctl("--profile", "r", "credentials", timeout=40)
            check("STS always resetting: a clear error within 10 s",
                  result.returncode not in (0, None) and result.seconds < 10 and "AssumeRole" in result.stderr,
                  repr(result))
            check("STS always resetting: 3 attempts or more (a reused connection may be retried by the transport)",
                  sts.count() - before >= 3, str(sts.requests[before:]))
            health = daemon.ctl("health")
            check("STS failures: health still SERVING", health.returncode == 0 and "SERVING" in health.stdout,
                  repr(health))
            sts.respond = script([], ok(sts_assume_role_body(), headers={"Content-Type": "text/xml"}))
            result = daemon.ctl("--profile", "r", "credentials", timeout=40)
            check("STS back: the next call gets assumed credentials",
                  result.returncode == 0 and "ASIAFAULTASSUMED0001" in result.stdout, repr(result))


def main():
    check = Checks()
    for test in (test_sts_retried_then_success, test_sts_keeps_failing):
        run_case(check, test.__name__, test)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
