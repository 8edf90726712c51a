#!/usr/bin/env python3
"""Paginators and waiters through awsd side by side with boto3, in one run,
on one local moto_server (signature checks off: this measures time, the
tests check signatures).

    bench/pagination/run.py [BIN_DIR] [RUNS]     (default: build/bin, 5)

1. Listing 10,000 S3 keys (10 pages of 1,000): boto3's paginator in one
   warm process, against the client library's page range (awsd_invoke_lines
   "paginate") through the daemon; and `awsctl s3api list-objects-v2` against
   `aws s3api list-objects-v2` as whole processes. Medians of RUNS.
2. A waiter's idle cost: 100 object-exists waiters (5 s delay) held by the
   daemon for 20 s, its CPU time and thread count, against 100 boto3
   waiters in threads of one process over the same 20 s.

With BENCH_JSON=1 each part prints one JSON line instead of text (for
bench/report.py); BENCH_NO_WAITERS=1 with it stops after part 1.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.config

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "build", "bin"))
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
REGION = "us-east-1"
BUCKET = "bench-listing"
KEYS = 10000
WAITERS = 100
IDLE_SECONDS = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def threads(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Threads:"))


def median_seconds(action):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    work = tempfile.mkdtemp(prefix="awsd-bench-pagination-")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION=REGION,
               AWS_REGION=REGION, AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=os.path.join(work, "none"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(work, "none"))
    os.environ.update(env)
    socket_path = os.path.join(work, "awsd.sock")
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    daemon = subprocess.Popen([os.path.join(BIN, "awsd"), "--socket", socket_path, "--log-level", "warn"],
                              env=dict(env, AWS_ENDPOINT_URL=endpoint), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    tool = waiters = None
    try:
        for _ in range(100):
            ok = subprocess.run([os.path.join(BIN, "awsctl"), "--socket", socket_path, "health"],
                                capture_output=True).returncode == 0
            if ok:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    pass
            time.sleep(0.1)
        s3 = boto3.client("s3", endpoint_url=endpoint, config=botocore.config.Config(max_pool_connections=16))
        s3.create_bucket(Bucket=BUCKET)
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(lambda i: s3.put_object(Bucket=BUCKET, Key=f"images/{i:05d}.jpg", Body=b"x"), range(KEYS)))

        # 1. Listing 10,000 keys.
        def boto3_pages():
            count = sum(len(page.get("Contents", []))
                        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET))
            assert count == KEYS, count

        tool = subprocess.Popen([os.path.join(BIN, "awsd_invoke_lines"), socket_path], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)

        def awsd_pages():
            tool.stdin.write(json.dumps({"paginate": {"service": "s3", "operation": "ListObjectsV2",
                                                      "params": {"Bucket": BUCKET}}}) + "\n")
            tool.stdin.flush()
            answer = json.loads(tool.stdout.readline())
            count = sum(len(page.get("Contents", [])) for page in answer["pages"])
            assert count == KEYS, count

        def run_cli(argv):
            out = subprocess.run(argv, capture_output=True, env=env)
            assert out.returncode == 0 and len(json.loads(out.stdout)["Contents"]) == KEYS, out.stderr[-300:]

        awsd_pages()
        boto3_pages()  # warm both
        raw = median_seconds(lambda: s3.list_objects_v2(Bucket=BUCKET))
        boto = median_seconds(boto3_pages)
        awsd = median_seconds(awsd_pages)
        awsctl = median_seconds(lambda: run_cli([os.path.join(BIN, "awsctl"), "--socket", socket_path,
                                                 "s3api", "list-objects-v2", "--bucket", BUCKET]))
        aws = median_seconds(lambda: run_cli(["aws", "--endpoint-url", endpoint, "s3api", "list-objects-v2",
                                              "--bucket", BUCKET]))
        if os.environ.get("BENCH_JSON"):  # machine-readable, for bench/report.py
            print(json.dumps({"keys": KEYS, "runs": RUNS, "moto_one_page_s": raw, "boto3_paginator_s": boto,
                              "awsd_page_range_s": awsd, "aws_process_s": aws, "awsctl_process_s": awsctl}))
            if os.environ.get("BENCH_NO_WAITERS"):
                return
        else:
            print(f"listing {KEYS} keys, 10 pages, median of {RUNS}:")
            print(f"  one page straight from moto (boto3 call):  {raw * 1000:8.1f} ms")
            print(f"  boto3 paginator, warm process:             {boto * 1000:8.1f} ms")
            print(f"  awsd page range (client library):          {awsd * 1000:8.1f} ms   boto3/awsd = {boto / awsd:.2f}x")
            print(f"  aws s3api list-objects-v2 (process):       {aws * 1000:8.1f} ms")
            print(f"  awsctl s3api list-objects-v2 (process):    {awsctl * 1000:8.1f} ms   aws/awsctl = {aws / awsctl:.2f}x")

        # 2. Idle waiters: the daemon's cost against boto3's.
        before_threads = threads(daemon.pid)
        cpu_before = cpu_seconds(daemon.pid)
        time.sleep(IDLE_SECONDS)
        daemon_idle = cpu_seconds(daemon.pid) - cpu_before
        waiters = [subprocess.Popen([os.path.join(BIN, "awsctl"), "--socket", socket_path, "s3api", "wait",
                                     "object-exists", "--bucket", BUCKET, "--key", f"never-{i}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(WAITERS)]
        time.sleep(2)
        cpu_before = cpu_seconds(daemon.pid)
        time.sleep(IDLE_SECONDS)
        daemon_cpu = cpu_seconds(daemon.pid) - cpu_before
        during_threads = threads(daemon.pid)
        for waiter in waiters:
            waiter.terminate()
        for waiter in waiters:
            waiter.wait()
        waiters = None

        def boto3_waiter(i):
            try:
                s3.get_waiter("object_exists").wait(Bucket=BUCKET, Key=f"never-{i}",
                                                     WaiterConfig={"Delay": 5, "MaxAttempts": 6})
            except Exception:
                pass

        cpu_start = time.process_time()
        runners = [threading.Thread(target=boto3_waiter, args=(i,), daemon=True) for i in range(WAITERS)]
        for runner in runners:
            runner.start()
        time.sleep(2)
        cpu_before = time.process_time()
        time.sleep(IDLE_SECONDS)
        boto_cpu = time.process_time() - cpu_before
        del cpu_start
        polls = WAITERS * IDLE_SECONDS / 5
        if os.environ.get("BENCH_JSON"):
            print(json.dumps({"waiters": WAITERS, "idle_seconds": IDLE_SECONDS, "awsd_idle_cpu_s": daemon_idle,
                              "awsd_cpu_s": daemon_cpu, "awsd_threads_before": before_threads,
                              "awsd_threads_during": during_threads, "boto3_cpu_s": boto_cpu}))
            return
        print(f"{WAITERS} idle object-exists waiters (5 s delay) over {IDLE_SECONDS} s (~{polls:.0f} polls):")
        print(f"  awsd without waiters: {daemon_idle * 1000:7.0f} ms CPU")
        print(f"  awsd:  {daemon_cpu * 1000:7.0f} ms CPU ({daemon_cpu / polls * 1e6:6.0f} us a poll), threads "
              f"{before_threads} before, {during_threads} with the waiters")
        print(f"  boto3: {boto_cpu * 1000:7.0f} ms CPU ({boto_cpu / polls * 1e6:6.0f} us a poll), "
              f"{WAITERS} threads   boto3/awsd = {boto_cpu / max(daemon_cpu, 1e-9):.1f}x")
    finally:
        if waiters:
            for waiter in waiters:
                waiter.kill()
        if tool:
            tool.stdin.close()
            tool.wait()
        for process in (daemon, moto):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
