"""Fault injection, the daemon killed (scenario 7 of issue 10): four client
threads of the Python package `awsd` (one long-lived connection pool) call
DynamoDB ListTables (a fake service) without pause; the daemon is killed
with SIGKILL mid-run and restarted on the same socket. Every call issued
must end, in success or an error raised to its caller, within its bound;
none may be lost; and the same clients (the same pool, no new process)
must succeed again after the restart.

    kill_restart_test.py BIN_DIR [PYTHON_PACKAGE_DIR]

PYTHON_PACKAGE_DIR is the built package (build/python); by default
BIN_DIR/../python.
"""
import os
import sys
import threading
import time

from fault_support import (BIN_DIR, Checks, Daemon, FakeServer, list_tables_ok, run_case, script, static_keys_env,
                           work_folder)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "client-lib", "python"))
from python_path import use_built_package  # noqa: E402

PYTHON_DIR = sys.argv[2] if len(sys.argv) > 2 else os.path.join(BIN_DIR, "..", "python")
use_built_package(PYTHON_DIR)
import awsd  # noqa: E402

THREADS = 4
# No call may take longer than this (the daemon answers in milliseconds;
# a call caught by the kill must fail at once).
CALL_BOUND_SECONDS = 15


class Load:
    """THREADS threads calling client.list_tables() until stopped, counting
    every call issued, succeeded and failed, and the longest one."""

    def __init__(self, client):
        self.client = client
        self.lock = threading.Lock()
        self.issued = self.succeeded = self.failed = 0
        self.errors = {}
        self.in_flight = {}
        self.longest = 0.0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(THREADS)]

    def run(self, index):
        while not self.stop.is_set():
            started = time.monotonic()
            with self.lock:
                self.issued += 1
                self.in_flight[index] = started
            try:
                answer = self.client.list_tables()
                good = answer.get("TableNames") == ["fault-table"]
                error = None if good else f"unexpected answer {answer!r}"[:120]
            except Exception as caught:  # noqa: BLE001: every error is counted
                error = f"{type(caught).__name__}: {str(caught)[:90]}"
            elapsed = time.monotonic() - started
            with self.lock:
                del self.in_flight[index]
                self.longest = max(self.longest, elapsed)
                if error is None:
                    self.succeeded += 1
                else:
                    self.failed += 1
                    key = error.split(";")[0]
                    self.errors[key] = self.errors.get(key, 0) + 1
            # A failing call returns at once: pace the loop so it does not spin.
            time.sleep(0.01 if error is None else 0.05)

    def snapshot(self):
        with self.lock:
            return self.issued, self.succeeded, self.failed

    def stuck(self):
        """Calls in flight for longer than the bound."""
        now = time.monotonic()
        with self.lock:
            return [round(now - started, 1) for started in self.in_flight.values() if now - started > CALL_BOUND_SECONDS]


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_kill_and_restart_under_load(check):
    with work_folder("awsd-fault-kill-") as work, FakeServer(script([], list_tables_ok())) as fake:
        daemon = Daemon(work, env=dict(static_keys_env(), AWS_ENDPOINT_URL=fake.url))
        load = None
        try:
            daemon.start()
            client = awsd.Session(socket_path=daemon.socket_path, region_name="us-east-1").client("dynamodb")
            pool = awsd._transport.Daemon.at(daemon.socket_path)
            load = Load(client)
            for thread in load.threads:
                thread.start()
            check("before the kill: calls succeed", wait_for(lambda: load.snapshot()[1] >= 40, 10),
                  f"{load.snapshot()} {load.errors}")

            daemon.kill9()
            killed_at = time.monotonic()
            _, succeeded_at_kill, failed_at_kill = load.snapshot()
            check("while the daemon is down: calls fail (raised to the caller, not hung)",
                  wait_for(lambda: load.snapshot()[2] >= failed_at_kill + 8, 10),
                  f"{load.snapshot()} {load.errors}")
            down = daemon.ctl("dynamodb", "list-tables", timeout=20)
            check("while the daemon is down: awsctl fails at once with exit 255 and says so",
                  down.returncode == 255 and "not reachable" in down.stderr and down.seconds < 10, repr(down))
            daemon.start()
            restarted_at = time.monotonic()
            check("the daemon restarts on the same socket (a stale socket file left by SIGKILL)", daemon.alive(),
                  daemon.log_tail())
            _, succeeded_at_restart, _ = load.snapshot()
            recovered = wait_for(lambda: load.snapshot()[1] >= succeeded_at_restart + 40, 20)
            check("after the restart: the same clients succeed again (their pool reconnects), within 20 s",
                  recovered, f"{load.snapshot()} {load.errors}")
            print(f"     (down {restarted_at - killed_at:.1f}s; first successes again "
                  f"{time.monotonic() - restarted_at:.1f}s after the restart)")
            check("the clients kept their connection pool", awsd._transport.Daemon.at(daemon.socket_path) is pool)
            stuck = load.stuck()
            check(f"no call is in flight longer than {CALL_BOUND_SECONDS}s", not stuck, str(stuck))
        finally:
            if load is not None:
                load.stop.set()
                for thread in load.threads:
                    thread.join(timeout=CALL_BOUND_SECONDS + 5)
            hung = [thread for thread in (load.threads if load else []) if thread.is_alive()]
            if daemon.process is not None:
                daemon.stop()
        check("every client thread ended (no call hung)", not hung, f"{len(hung)} threads still in a call")
        issued, succeeded, failed = load.snapshot()
        check("every call issued ended: issued == succeeded + failed",
              issued == succeeded + failed and issued > 0, f"issued {issued}, succeeded {succeeded}, failed {failed}")
        check(f"the longest call took less than {CALL_BOUND_SECONDS}s", load.longest < CALL_BOUND_SECONDS,
              f"{load.longest:.1f}s")
        check("failures were only the daemon being unreachable (UNAVAILABLE)",
              all(key.startswith("DaemonUnavailableError") for key in load.errors), str(load.errors))
        print(f"     ({issued} calls: {succeeded} succeeded, {failed} failed: {load.errors})")
        check("the second daemon served calls (fake saw them)", fake.count() >= succeeded_at_kill + 40,
              f"{fake.count()} requests")


def main():
    check = Checks()
    run_case(check, "test_kill_and_restart_under_load", test_kill_and_restart_under_load)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
