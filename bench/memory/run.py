#!/usr/bin/env python3
"""Memory of one awsd plus N Python client processes against N boto3
processes, in one run, against one local stub (awsd-invoke-stub) that
answers at once.

Each client process imports its library, makes one call (STS
GetCallerIdentity), keeps its client and waits on stdin, so all N are
resident at once; then the set is measured: the sum of VmRSS
(/proc/PID/status) and of PSS (/proc/PID/smaps_rollup, which shares each
shared page among the processes mapping it: fairer when N processes map the
same interpreter and libraries) over the N clients, plus the daemon on the
awsd side. A fresh daemon is started for each N. Both sides run on the same
interpreter (this one); the awsd side can reach Debian's grpcio, should a
streaming call need it.

    python3 bench/memory/run.py [--bin-dir build/bin] [--python-dir build/python] [--counts 1,10,50] [--json]

Prints a table, or one JSON object with --json.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")

AWSD_CHILD = """
import sys; sys.path.insert(0, {python_dir!r})
sys.path.append('/usr/lib/python3/dist-packages')  # grpcio, should a streaming call need it
import awsd
client = awsd.client('sts')
assert client.get_caller_identity()['Account']
print('ready', flush=True)
sys.stdin.read()
"""
BOTO3_CHILD = """
import sys
import boto3
client = boto3.client('sts', endpoint_url={endpoint!r})
assert client.get_caller_identity()['Account']
print('ready', flush=True)
sys.stdin.read()
"""


def memory_kib(pid):
    """(VmRSS, Pss) of a process, KiB."""
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    with open(f"/proc/{pid}/smaps_rollup") as f:
        pss = next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    return rss, pss


def stop(process, timeout=20):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def resident_set(code, env, count):
    """Starts `count` children running `code`, waits until each has answered,
    and returns (their processes, their (rss, pss) list). The caller stops them."""
    children = []
    try:
        for _ in range(count):
            children.append(subprocess.Popen([sys.executable, "-c", code], env=env, stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        for child in children:
            line = child.stdout.readline()
            if line.strip() != b"ready":
                child.wait(timeout=30)
                raise RuntimeError(f"a client process failed: {child.stderr.read().decode()[-800:]}")
        return children, [memory_kib(child.pid) for child in children]
    except BaseException:
        release(children)
        raise


def release(children):
    """Closes each child's stdin (it exits), then waits; kills a straggler."""
    for child in children:
        try:
            child.stdin.close()
        except OSError:
            pass
    deadline = time.monotonic() + 30
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()


def start_daemon(bin_dir, socket_path, env):
    daemon = subprocess.Popen([os.path.join(bin_dir, "awsd"), "--socket", socket_path, "--log-level", "warn"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if subprocess.run([os.path.join(bin_dir, "awsctl"), "--socket", socket_path, "health"],
                          capture_output=True, timeout=10).returncode == 0:
            return daemon
        if daemon.poll() is not None:
            break
        time.sleep(0.05)
    stop(daemon)
    raise RuntimeError("awsd did not answer its health check")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin-dir", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--python-dir", default=os.path.join(ROOT, "build", "python"))
    parser.add_argument("--counts", default="1,10,50", help="comma-separated numbers of client processes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    bin_dir = os.path.abspath(args.bin_dir)
    python_dir = os.path.abspath(args.python_dir)
    counts = [int(n) for n in args.counts.split(",")]

    work = tempfile.mkdtemp(prefix="awsd-bench-memory-")
    stub = daemon = None
    children = []
    results = []
    try:
        stub = subprocess.Popen([os.path.join(bin_dir, "awsd-invoke-stub")], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)
        endpoint = "http://127.0.0.1:%d" % int(stub.stdout.readline())
        clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "AWSD_SOCKET"}
        common = dict(clean, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                      AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true",
                      AWS_CONFIG_FILE=os.path.join(work, "none"), AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "none"),
                      HOME=work)
        daemon_env = dict(common, AWS_ENDPOINT_URL=endpoint)
        socket_path = os.path.join(work, "awsd.sock")
        # awsd's clients hold no keys and know no endpoint: the socket only.
        awsd_env = dict(clean, AWSD_SOCKET=socket_path, HOME=work)
        awsd_code = AWSD_CHILD.format(python_dir=python_dir)
        boto3_code = BOTO3_CHILD.format(endpoint=endpoint)

        # Warm the page cache for both sides, so neither pays the first read.
        daemon = start_daemon(bin_dir, socket_path, daemon_env)
        for code, env in ((awsd_code, awsd_env), (boto3_code, common)):
            children, _ = resident_set(code, env, 1)
            release(children)
            children = []
        stop(daemon)
        daemon = None

        for count in counts:
            daemon = start_daemon(bin_dir, socket_path, daemon_env)
            daemon_idle = memory_kib(daemon.pid)
            children, awsd_clients = resident_set(awsd_code, awsd_env, count)
            daemon_busy = memory_kib(daemon.pid)  # with the N clients connected
            release(children)
            children = []
            stop(daemon)
            daemon = None
            children, boto3_clients = resident_set(boto3_code, common, count)
            release(children)
            children = []
            row = {"processes": count,
                   "awsd_daemon_idle_rss_kib": daemon_idle[0],
                   "awsd_daemon_rss_kib": daemon_busy[0], "awsd_daemon_pss_kib": daemon_busy[1],
                   "awsd_clients_rss_kib": sum(m[0] for m in awsd_clients),
                   "awsd_clients_pss_kib": sum(m[1] for m in awsd_clients),
                   "boto3_rss_kib": sum(m[0] for m in boto3_clients),
                   "boto3_pss_kib": sum(m[1] for m in boto3_clients)}
            row["awsd_total_rss_kib"] = row["awsd_daemon_rss_kib"] + row["awsd_clients_rss_kib"]
            row["awsd_total_pss_kib"] = row["awsd_daemon_pss_kib"] + row["awsd_clients_pss_kib"]
            row["ratio_rss"] = round(row["boto3_rss_kib"] / row["awsd_total_rss_kib"], 2)
            row["ratio_pss"] = round(row["boto3_pss_kib"] / row["awsd_total_pss_kib"], 2)
            results.append(row)
    finally:
        release(children)
        stop(daemon)
        if stub is not None:
            stub.stdin.close()
            stop(stub)
            stub.stdout.close()
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps({"python": sys.executable, "counts": results}))
        return
    mib = lambda kib: kib / 1024  # noqa: E731
    print(f"memory of N resident client processes, one call each ({sys.executable}), MiB")
    print(f"{'N':>4} {'awsd daemon':>12} {'awsd clients':>13} {'awsd total':>11} {'boto3 total':>12} {'ratio':>6}")
    for row in results:
        for kind in ("rss", "pss"):
            print(f"{row['processes']:>4} {mib(row['awsd_daemon_' + kind + '_kib']):>12.1f} "
                  f"{mib(row['awsd_clients_' + kind + '_kib']):>13.1f} {mib(row['awsd_total_' + kind + '_kib']):>11.1f} "
                  f"{mib(row['boto3_' + kind + '_kib']):>12.1f} {row['ratio_' + kind]:>5.2f}x  {kind.upper()}")


if __name__ == "__main__":
    main()
