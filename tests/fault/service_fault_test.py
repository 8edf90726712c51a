"""Fault injection, AWS services (scenarios 5 and 6 of issue 10): DynamoDB
ListTables (json) and S3 ListObjectsV2 (rest-xml) against a fake service
(the daemon's AWS_ENDPOINT_URL) that answers 503 / SlowDown, truncated
bodies (Content-Length larger than what is sent, then close), reset
connections and garbage bodies; and a service whose clock is 20 minutes
off, which refuses the first signature.

    service_fault_test.py BIN_DIR

Lower-level tests of the same faults: tests/daemon/retries/ (retry rules,
clock skew) and tests/daemon/invoke/invoker_test.cc (sign-send-retry-parse).
"""
import calendar
import email.utils
import sys
import time

from fault_support import (ACCESS_KEY_ID, Checks, FakeServer, json_error, list_tables_ok, ok, reset, run_case,
                           running_daemon, s3_error, s3_list_ok, script, static_keys_env, truncated, work_folder)

SKEW_SECONDS = 20 * 60


def service_env(fake, **more):
    env = dict(static_keys_env(), AWS_ENDPOINT_URL=fake.url, AWS_MAX_ATTEMPTS="5")
    env.update(more)
    return env


def test_retried_then_success(check):
    """503 and SlowDown, truncated bodies and a reset connection, then the
    answer: the call succeeds, after exactly as many attempts as faults + 1."""
    dynamodb_faults = [json_error("ServiceUnavailable", "try later", status=503),
                       truncated(b'{"TableNames": ["fa', missing=64,
                                 headers={"Content-Type": "application/x-amz-json-1.0"}),
                       reset()]
    with work_folder("awsd-fault-service-") as work, FakeServer(script(dynamodb_faults, list_tables_ok())) as fake:
        with running_daemon(work, env=service_env(fake)) as daemon:
            result = daemon.ctl("dynamodb", "list-tables")
            check("DynamoDB 503, truncated body, reset, then OK: the call succeeds",
                  result.returncode == 0 and '"fault-table"' in result.stdout, repr(result))
            targets = [r.header("X-Amz-Target") for r in fake.requests]
            check("DynamoDB: the fake saw exactly 4 ListTables attempts",
                  targets == ["DynamoDB_20120810.ListTables"] * 4, str(targets))

            fake.respond = script([s3_error("SlowDown", 503, "Please reduce your request rate."),
                                   truncated(b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns=',
                                             missing=300, headers={"Content-Type": "application/xml"})],
                                  s3_list_ok())
            before = fake.count()
            result = daemon.ctl("s3api", "list-objects-v2", "--bucket", "fault-bucket")
            check("S3 SlowDown, truncated body, then OK: the call succeeds",
                  result.returncode == 0 and '"a.txt"' in result.stdout, repr(result))
            paths = [r.path for r in fake.requests[before:]]
            check("S3: the fake saw exactly 3 ListObjectsV2 attempts",
                  len(paths) == 3 and all(p.startswith("/fault-bucket?") and "list-type=2" in p for p in paths),
                  str(paths))

            fake.respond = script([], json_error("ServiceUnavailable", "try later", status=503))
            before = fake.count()
            result = daemon.ctl("dynamodb", "list-tables", timeout=40)
            check("DynamoDB always 503: the caller gets the service's error (exit 254) naming it",
                  result.returncode == 254 and "ServiceUnavailable" in result.stderr, repr(result))
            check("DynamoDB always 503: after max_attempts (5) attempts, within 10 s",
                  fake.count() - before == 5 and result.seconds < 10, f"{fake.count() - before} attempts, {result!r}")
            check("service faults: the daemon is alive", daemon.alive(), daemon.log_tail())


def test_invalid_bodies(check):
    """A 200 whose body is garbage: a clear error to the caller, bounded,
    the daemon survives and serves the next call."""
    garbage_json = ok('{"TableNames": [tru}}}', headers={"Content-Type": "application/x-amz-json-1.0"})
    with work_folder("awsd-fault-garbage-") as work, FakeServer(script([garbage_json], list_tables_ok())) as fake:
        with running_daemon(work, env=service_env(fake)) as daemon:
            result = daemon.ctl("dynamodb", "list-tables")
            check("DynamoDB garbage JSON: the call fails with a clear parse error",
                  result.returncode not in (0, None) and "JSON" in result.stderr, repr(result))
            check("DynamoDB garbage JSON: within 5 s", result.seconds < 5, repr(result))
            check("DynamoDB garbage JSON: not retried (one attempt)", fake.count() == 1, str(fake.requests))
            result = daemon.ctl("dynamodb", "list-tables")
            check("after garbage JSON: the next call succeeds", result.returncode == 0 and "fault-table" in result.stdout,
                  repr(result))

            fake.respond = script([ok("<ListBucketResult><Name>fault-bucket</Na", status=200,
                                      headers={"Content-Type": "application/xml"})], s3_list_ok())
            before = fake.count()
            result = daemon.ctl("s3api", "list-objects-v2", "--bucket", "fault-bucket")
            attempts = fake.count() - before
            # botocore treats an S3 200 it cannot parse as a 500 (retried);
            # either a success after a retry or a clear error is right.
            check("S3 garbage XML: a success after a retry or a clear error, within 5 s",
                  result.seconds < 5 and (
                      (result.returncode == 0 and '"a.txt"' in result.stdout and attempts == 2)
                      or (result.returncode in (254, 255) and result.stderr.strip())),
                  f"{attempts} attempts, {result!r}")
            print(f"     (S3 garbage XML: exit {result.returncode} after {attempts} attempt(s): "
                  f"{(result.stderr or result.stdout).strip()[:160]})")
            fake.respond = script([], s3_list_ok())
            result = daemon.ctl("s3api", "list-objects-v2", "--bucket", "fault-bucket")
            check("after garbage XML: the next call succeeds", result.returncode == 0 and '"a.txt"' in result.stdout,
                  repr(result))
            check("garbage bodies: the daemon is alive", daemon.alive(), daemon.log_tail())
            health = daemon.ctl("health")
            check("garbage bodies: health SERVING", health.returncode == 0 and "SERVING" in health.stdout, repr(health))


def amz_date_seconds(request):
    value = request.header("X-Amz-Date")
    if not value:
        return None
    return calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ"))


def skewed(reply, skew):
    reply.headers["Date"] = email.utils.formatdate(time.time() + skew, usegmt=True)
    return reply


def skew_case(check, label, skew, refusal, answer, command):
    # As AWS does: a signature more than 5 minutes from the server's clock
    # is refused, and the Date header gives the server's time.
    def respond(request, number):
        signed = amz_date_seconds(request)
        off = signed is None or abs(signed - (time.time() + skew)) > 5 * 60
        return skewed(refusal() if off else answer(), skew)
    with work_folder("awsd-fault-skew-") as work, FakeServer(respond) as fake:
        with running_daemon(work, env=service_env(fake)) as daemon:
            result = daemon.ctl(*command)
            check(f"{label}: the call succeeds after the skew is corrected", result.returncode == 0, repr(result))
            requests = fake.requests
            check(f"{label}: exactly 2 attempts", len(requests) == 2, str(requests))
            if len(requests) >= 2:
                first = amz_date_seconds(requests[0]) - requests[0].arrived
                retry = amz_date_seconds(requests[1]) - (requests[1].arrived + skew)
                check(f"{label}: the first attempt was signed with the local clock (within 60 s)", abs(first) < 60,
                      f"X-Amz-Date {requests[0].header('X-Amz-Date')} is {first:.0f}s from local time")
                check(f"{label}: the retry is signed with the server's clock (within 60 s)", abs(retry) < 60,
                      f"X-Amz-Date {requests[1].header('X-Amz-Date')} is {retry:.0f}s from the server's time")
                check(f"{label}: the retry's signature scope uses the corrected date",
                      requests[1].header("X-Amz-Date")[:8] in (requests[1].header("Authorization") or ""),
                      requests[1].header("Authorization"))
            # Remembered: the next call's first attempt is already corrected.
            before = fake.count()
            result = daemon.ctl(*command)
            later = fake.requests[before:]
            check(f"{label}: the next call is signed with the corrected time at once (1 attempt)",
                  result.returncode == 0 and len(later) == 1
                  and abs(amz_date_seconds(later[0]) - (later[0].arrived + skew)) < 60,
                  f"{result!r}; {[(r.header('X-Amz-Date')) for r in later]}")
            check(f"{label}: every attempt used the configured key",
                  all(f"Credential={ACCESS_KEY_ID}/" in (r.header("Authorization") or "") for r in fake.requests))


def test_clock_skew(check):
    """Scenario 6: the service's clock is 20 minutes ahead (DynamoDB,
    InvalidSignatureException 400) or behind (S3, RequestTimeTooSkewed 403)
    and its Date header says so."""
    skew_case(check, "DynamoDB +20 min skew", SKEW_SECONDS,
              lambda: json_error("InvalidSignatureException",
                                 "Signature expired: is now earlier than (server time - 5 min.)", status=400),
              list_tables_ok, ("dynamodb", "list-tables"))
    skew_case(check, "S3 -20 min skew", -SKEW_SECONDS,
              lambda: s3_error("RequestTimeTooSkewed", 403,
                               "The difference between the request time and the current time is too large."),
              s3_list_ok, ("s3api", "list-objects-v2", "--bucket", "fault-bucket"))


def main():
    check = Checks()
    for test in (test_retried_then_success, test_invalid_bodies, test_clock_skew):
        run_case(check, test.__name__, test)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
