"""Fault injection, the audit log's disk full (scenario 8 of issue 10):
`[audit] file = "/dev/full"` in the daemon's config, so every audit write
fails with ENOSPC. Calls that act with credentials (an AWS call, the
credentials' description, signing) must fail closed with UNAVAILABLE
naming the audit log, nothing may reach AWS, and health still answers.

    audit_disk_full_test.py BIN_DIR

Lower-level tests: tests/daemon/security/ (audit_log, the call gate).
"""
import os
import sys

from fault_support import (ACCESS_KEY_ID, SECRET_ACCESS_KEY, Checks, FakeServer, list_tables_ok, run_case,
                           running_daemon, script, static_keys_env, work_folder)


def refused(result):
    return (result.returncode == 255 and "UNAVAILABLE" in result.stderr and "audit log" in result.stderr
            and "/dev/full" in result.stderr)


def test_audit_log_disk_full(check):
    if not os.path.exists("/dev/full"):
        check("/dev/full exists on this machine", False, "no /dev/full")
        return
    with work_folder("awsd-fault-audit-") as work, FakeServer(script([], list_tables_ok())) as fake:
        env = dict(static_keys_env(), AWS_ENDPOINT_URL=fake.url)
        with running_daemon(work, env=env, config='[audit]\nfile = "/dev/full"\n') as daemon:
            health = daemon.ctl("health")
            check("audit disk full: health answers SERVING", health.returncode == 0 and "SERVING" in health.stdout,
                  repr(health))
            calls = {
                "an AWS call (dynamodb list-tables)": ("dynamodb", "list-tables"),
                "an AWS call (sts get-caller-identity)": ("sts", "get-caller-identity"),
                "the credentials' description": ("credentials",),
                "signing": ("--access-key-id", ACCESS_KEY_ID, "--secret-access-key", SECRET_ACCESS_KEY, "sign",
                            "--method", "GET", "--url", fake.url + "/", "--service", "s3", "--region", "us-east-1"),
            }
            for what, command in calls.items():
                result = daemon.ctl(*command)
                check(f"audit disk full: {what} is refused with UNAVAILABLE naming the audit log (exit 255)",
                      refused(result), repr(result))
                check(f"audit disk full: {what} answers at once (< 5 s)", result.seconds < 5, repr(result))
                check(f"audit disk full: {what}: no secret in the answer",
                      SECRET_ACCESS_KEY not in result.stdout + result.stderr)
            check("audit disk full: nothing reached AWS (fail closed)", fake.count() == 0, str(fake.requests))
            health = daemon.ctl("health")
            check("audit disk full: health still answers afterwards", health.returncode == 0, repr(health))
            check("audit disk full: the daemon is alive", daemon.alive(), daemon.log_tail())
            check("audit disk full: the daemon's log says the audit log cannot be written",
                  "cannot write /dev/full" in daemon.log_text(), daemon.log_tail())


def main():
    check = Checks()
    run_case(check, "test_audit_log_disk_full", test_audit_log_disk_full)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
