"""Fault injection, IMDS (scenarios 1-3 of issue 10): the real awsd with its
instance-metadata endpoint (AWS_EC2_METADATA_SERVICE_ENDPOINT) pointed at a
closed port, a port that never answers, a fake IMDSv2 that flaps, and one
that is slow and then fast.

    imds_fault_test.py BIN_DIR

Lower-level tests of the same faults: tests/daemon/credentials/imds_provider_test.cc
and the cached provider's tests in tests/daemon/credentials/.
"""
import sys
import threading
import time

from fault_support import (ACCESS_KEY_ID, SECRET_ACCESS_KEY, Checks, FakeServer, SilentListener, closed_port,
                           credentials_ok, imds, imds_env, list_tables_ok, ok, reset, run_case, running_daemon,
                           script, wait_until, work_folder)

# botocore's default metadata_service_timeout (1 s) bounds the connect and,
# at most twice that, a whole request; one attempt per step; the token PUT
# and the role-name GET are the two steps run before giving up.
IMDS_TIMEOUT = 1.0
WORST_CASE_SECONDS = 2 * (2 * IMDS_TIMEOUT) + 2.5


def explicit_call(daemon):
    """A call that needs no IMDS: explicit keys, DynamoDB ListTables on the
    fake service the daemon's AWS_ENDPOINT_URL names."""
    return daemon.ctl("--access-key-id", ACCESS_KEY_ID, "--secret-access-key", SECRET_ACCESS_KEY,
                      "dynamodb", "list-tables")


def no_credentials_error(result):
    return result.returncode == 253 and "Unable to locate credentials" in result.stderr


def imds_down(check, endpoint, what):
    with work_folder("awsd-fault-imds-down-") as work, FakeServer(script([], list_tables_ok())) as service:
        env = imds_env(endpoint, AWS_ENDPOINT_URL=service.url)
        with running_daemon(work, env=env) as daemon:
            for attempt in (1, 2):
                result = daemon.ctl("sts", "get-caller-identity")
                check(f"IMDS {what}: call {attempt} fails with a clear no-credentials error (exit 253)",
                      no_credentials_error(result), repr(result))
                check(f"IMDS {what}: call {attempt} fails within {WORST_CASE_SECONDS:.1f}s",
                      result.returncode is not None and result.seconds < WORST_CASE_SECONDS, repr(result))
            check(f"IMDS {what}: the daemon is alive", daemon.alive(), daemon.log_tail())
            health = daemon.ctl("health")
            check(f"IMDS {what}: health still SERVING", health.returncode == 0 and "SERVING" in health.stdout,
                  repr(health))
            result = explicit_call(daemon)
            check(f"IMDS {what}: the next call (explicit keys) succeeds",
                  result.returncode == 0 and "fault-table" in result.stdout, repr(result))


def test_imds_closed_port(check):
    """Scenario 1a: nothing listens on IMDS's port (connection refused)."""
    imds_down(check, f"http://127.0.0.1:{closed_port()}", "closed port")


def test_imds_silent_port(check):
    """Scenario 1b: IMDS's port accepts connections and never answers."""
    with SilentListener() as silent:
        imds_down(check, silent.url, "silent port")


def flapping_calls(daemon, seconds, interval=0.15):
    """`awsctl credentials` over and over for `seconds`; the failures."""
    failures, calls = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        result = daemon.ctl("credentials", timeout=15)
        calls += 1
        if not credentials_ok(result):
            failures.append((round(time.monotonic() - end + seconds, 2), result))
        time.sleep(interval)
    return calls, failures


def test_imds_flapping_with_retries(check):
    """Scenario 2a: every other IMDS request fails (500, or the connection
    reset), with metadata_service_num_attempts = 3; credentials live 4 s so
    the daemon refreshes them every ~2 s (half-life). Every call succeeds."""
    def failure(request, number):
        if number % 2 == 1:
            return reset() if number % 4 == 1 else ok("internal error", status=500)
        return None
    with work_folder("awsd-fault-imds-flap-") as work, \
            FakeServer(imds(expires_in=4, strict=False, failure=failure)) as fake:
        with running_daemon(work, env=imds_env(fake.url, AWS_METADATA_SERVICE_NUM_ATTEMPTS="3")) as daemon:
            calls, failures = flapping_calls(daemon, 5.0)
            fetched = fake.count(lambda r: r.path.endswith("/fault-role"))
            check("IMDS flapping (3 attempts a step): every call over 5 s succeeds",
                  calls >= 10 and not failures, f"{len(failures)} of {calls} failed; first: {failures[:2]}")
            check("IMDS flapping (3 attempts a step): the credentials were refreshed (short-lived)",
                  fetched >= 3, f"{fetched} credential GETs, requests {fake.requests}")
            check("IMDS flapping (3 attempts a step): failures were injected", fake.count() >= 2 * fetched,
                  f"{fake.count()} requests")
            check("IMDS flapping: the daemon is alive", daemon.alive(), daemon.log_tail())


def test_imds_flapping_default_attempts(check):
    """Scenario 2b: with the default one attempt a step, IMDS alternates
    per refresh: the first lookup succeeds, the next refresh fails (500 or
    the connection reset on its role-name GET), the one after succeeds, and
    so on. Credentials live 3 s, so the daemon refreshes them at half-life
    (~1.5 s), while the held set is still valid. Every call must succeed:
    the held set is served, or extended (IMDS's static stability), and IMDS
    asked again later."""
    lock = threading.Lock()
    role_gets = [0]

    def failure(request, number):
        if not request.path.endswith("/latest/meta-data/iam/security-credentials/"):
            return None
        with lock:
            k = role_gets[0]
            role_gets[0] += 1
        if k % 2 == 1:
            return reset() if k % 4 == 1 else ok("internal error", status=500)
        return None
    with work_folder("awsd-fault-imds-flap1-") as work, \
            FakeServer(imds(expires_in=3, strict=False, failure=failure)) as fake:
        with running_daemon(work, env=imds_env(fake.url)) as daemon:
            calls, failures = flapping_calls(daemon, 5.0)
            check("IMDS flapping (default attempts): a refresh failed (fault injected)", role_gets[0] >= 2,
                  f"IMDS requests: {fake.requests}")
            detail = ""
            if failures:
                detail = (f"{len(failures)} of {calls} calls failed; first at {failures[0][0]}s: {failures[0][1]!r}; "
                          f"IMDS saw {len(fake.requests)} requests: {fake.requests}")
            if failures:
                detail = ("DAEMON BUG: a refresh that gets nothing from IMDS (one failed step, default 1 attempt) "
                          "replaces the held, still valid credentials with 'no credentials', cached without expiry, "
                          "so IMDS is never asked again and every later call fails. " + detail)
            check("IMDS flapping (default attempts): every call over 5 s succeeds (held credentials served)",
                  calls >= 10 and not failures, detail)
            check("IMDS flapping (default attempts): the daemon is alive", daemon.alive(), daemon.log_tail())


def test_imds_slow_then_fast(check):
    """Scenario 3: IMDS answers after 3 s (past the 1 s timeout, and the 2 s
    cap on a request), then after 0.5 s (within it). The first call fails within the bound;
    once IMDS is fast, calls get the instance role's credentials."""
    slow = {"on": True}
    with work_folder("awsd-fault-imds-slow-") as work, \
            FakeServer(imds(delay=lambda: 3.0 if slow["on"] else 0.5)) as fake:
        with running_daemon(work, env=imds_env(fake.url)) as daemon:
            result = daemon.ctl("credentials")
            check("IMDS slow: the call fails with a clear no-credentials error (exit 253)",
                  no_credentials_error(result), repr(result))
            check(f"IMDS slow: the call fails within {WORST_CASE_SECONDS:.1f}s (not after IMDS's 3 s per answer)",
                  result.returncode is not None and result.seconds < WORST_CASE_SECONDS, repr(result))
            slow["on"] = False
            asked_before = fake.count()
            results = []

            def served():
                results.append(daemon.ctl("credentials"))
                return credentials_ok(results[-1])
            try:
                wait_until(served, "credentials once IMDS is fast", 12)
                recovered = True
            except AssertionError:
                recovered = False
            check("IMDS slow then fast: a later call gets the role's credentials (within 12 s)", recovered,
                  "DAEMON BUG: the first lookup's 'no credentials from IMDS' (it timed out) is cached without "
                  f"expiry, so IMDS is never asked again. last: {results[-1]!r}; IMDS asked {fake.count() - asked_before} more times after it became "
                  f"fast ({len(results)} calls); requests: {fake.requests}")
            check("IMDS slow then fast: the daemon is alive", daemon.alive(), daemon.log_tail())


def main():
    check = Checks()
    for test in (test_imds_closed_port, test_imds_silent_port, test_imds_flapping_with_retries,
                 test_imds_flapping_default_attempts, test_imds_slow_then_fast):
        run_case(check, test.__name__, test)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
