#!/usr/bin/env python3
"""The benchmark report: runs awsd and its references (botocore/boto3
in-process, the `aws` CLI) on this machine, against the same local servers,
in one run, and prints a markdown table of ratios (reference / awsd, above 1
is awsd better).

    python3 bench/report.py [--build build] [--quick] [--raw FILE]

It runs the existing benchmark scripts and reads their JSON:
bench/signing/run.sh, bench/rpc/run.sh, bench/invoke/run.sh,
bench/python_client/run.py, bench/pagination/run.py (listing only),
bench/memory/run.py and bench/credentials/upstream_calls.py. --quick
shortens each (fewer repetitions, N = 1, 10) for a smoke check; --raw
writes every script's JSON to FILE. Progress goes to stderr, the report to
stdout. The Python scripts run on this interpreter, which must have boto3
(and moto, the aws CLI beside it or on PATH); the awsd package's grpcio comes
from Debian's python3-grpcio when the interpreter has none.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def log(message):
    print(f"[report {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_json(text):
    """The script's JSON: all of stdout, or else its last line that is a
    JSON object (some scripts print a line of text before it)."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    raise ValueError("no JSON object in its output")


def stop_group(process):
    """SIGTERM to the step's process group (its EXIT traps and finally
    blocks stop what it started), then SIGKILL to what is left."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.communicate(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; stragglers in its group get the same signal.
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        return


def run_step(name, argv, env, timeout):
    log(f"{name}: {' '.join(shlex.quote(a) for a in argv)}")
    started = time.monotonic()
    # Its own process group: on a timeout (or ^C) the script and every
    # server and client it started are stopped together.
    process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except BaseException as error:
        stop_group(process)
        if not isinstance(error, subprocess.TimeoutExpired):
            raise
        log(f"{name}: timed out after {timeout} s")
        return None
    seconds = time.monotonic() - started
    if process.returncode != 0:
        log(f"{name}: exit status {process.returncode} after {seconds:.0f} s\n{err[-2000:]}")
        return None
    try:
        result = parse_json(out)
    except ValueError as error:
        log(f"{name}: {error}\n{out[-1000:]}")
        return None
    log(f"{name}: done in {seconds:.0f} s")
    return result


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "python": f"{platform.python_version()} ({sys.executable})",
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


class Table:
    def __init__(self):
        self.rows = []

    def add(self, measurement, awsd, reference, ratio, note=""):
        """awsd and reference are display strings; ratio is reference/awsd
        (above 1: awsd better), or None when a figure is missing."""
        self.rows.append((measurement, awsd, reference, ratio, note))

    def failed(self, measurement, step):
        self.rows.append((measurement, f"({step} failed)", "-", None, ""))

    def markdown(self):
        lines = ["| measurement | awsd | reference | ratio (reference/awsd, >1 = awsd better) |",
                 "| --- | --- | --- | --- |"]
        for measurement, awsd, reference, ratio, note in self.rows:
            shown = "-" if ratio is None else (f"**{ratio:.2f}x**" if ratio >= 1 else f"{ratio:.2f}x")
            if note:
                shown += f" ({note})"
            lines.append(f"| {measurement} | {awsd} | {reference} | {shown} |")
        return "\n".join(lines)


def us(x):
    return f"{x:,.1f} µs" if x < 100 else f"{x:,.0f} µs"


def per_s(x):
    return f"{x:,.0f}/s"


def ms(x):
    return f"{x:,.0f} ms"


def mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="the build folder (bin/, python/), relative to the repository")
    parser.add_argument("--quick", action="store_true", help="short runs, N = 1, 10: a smoke check, not figures")
    parser.add_argument("--raw", help="also write every script's JSON here")
    args = parser.parse_args()
    build = os.path.abspath(os.path.join(ROOT, args.build))
    bin_dir = os.path.join(build, "bin")
    python_dir = os.path.join(build, "python")
    missing = [b for b in ("awsd", "awsctl", "sign_bench", "awsd-rpc-load", "awsd-invoke-load", "awsd-invoke-stub",
                           "awsd_invoke_lines") if not os.access(os.path.join(bin_dir, b), os.X_OK)]
    if missing:
        sys.exit(f"report.py: missing in {bin_dir}: {', '.join(missing)} (build them first)")
    if subprocess.run([sys.executable, "-c", "import boto3, moto"], capture_output=True).returncode != 0:
        sys.exit(f"report.py: {sys.executable} has no boto3 or moto; run it with the interpreter that has them")

    quick = args.quick
    rpc_seconds = "1" if quick else "3"
    invoke_seconds, process_runs = ("1", "5") if quick else ("3", "20")
    python_runs = "3" if quick else "15"
    pagination_runs = "1" if quick else "5"
    counts = [1, 10] if quick else [1, 10, 50]
    upstream_counts = [10] if quick else [10, 50]

    # The shell scripts call `python3` and the CLI scripts `aws` and
    # `moto_server`: this interpreter's first.
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
               PYTHON=sys.executable, BENCH_JSON="1", BENCH_NO_WAITERS="1")
    env.pop("AWSD_SOCKET", None)
    started = datetime.datetime.now(datetime.timezone.utc)
    host = machine()
    log(f"machine: {host}")

    results = {}
    steps = [
        ("signing", ["bash", "bench/signing/run.sh", os.path.join(bin_dir, "sign_bench")], 600),
        ("rpc", ["bash", "bench/rpc/run.sh", bin_dir, rpc_seconds], 900),
        ("invoke", ["bash", "bench/invoke/run.sh", bin_dir, invoke_seconds, process_runs], 900),
        ("python_client", [sys.executable, "bench/python_client/run.py", bin_dir, python_dir, python_runs], 900),
        ("pagination", [sys.executable, "bench/pagination/run.py", bin_dir, pagination_runs], 1200),
        ("memory", [sys.executable, "bench/memory/run.py", "--bin-dir", bin_dir, "--python-dir", python_dir,
                    "--counts", ",".join(map(str, counts)), "--json"], 900),
    ]
    steps += [(f"upstream_{n}", [sys.executable, "bench/credentials/upstream_calls.py", "--bin-dir", bin_dir,
                                 "--processes", str(n), "--json"], 600) for n in upstream_counts]
    for name, argv, timeout in steps:
        results[name] = run_step(name, argv, env, timeout)
    finished = datetime.datetime.now(datetime.timezone.utc)
    if args.raw:
        with open(args.raw, "w") as f:
            json.dump({"machine": host, "started": started.isoformat(), "quick": quick, "results": results}, f,
                      indent=2)

    table = Table()
    notes = []

    sign = results["signing"]
    row = "Sign latency, in-process signer (SigV4 GET, key cached / botocore derives it per call)"
    if sign and sign.get("SigV4_SmallGet_CachedKey", {}).get("botocore_us"):
        figure = sign["SigV4_SmallGet_CachedKey"]
        table.add(row, f"{figure['awsd_ns']:,.0f} ns", us(figure["botocore_us"]),
                  figure["botocore_us"] * 1e3 / figure["awsd_ns"])
    else:
        table.failed(row, "signing")

    rpc = results["rpc"]
    rows = ["Sign latency, one Sign RPC over the socket (p50) vs botocore add_auth in-process",
            "Empty Ping RPC over the socket (p50): the transport floor, vs the same add_auth",
            "SignBatch of 64, per signature (p50) vs botocore add_auth",
            "Sign throughput, one client with SignBatch 64 vs botocore in one process",
            "Sign throughput, unary Sign RPC (best of 1/8/32 clients) vs botocore in one process"]
    if rpc:
        botocore_us = rpc["botocore_in_process_us_per_signature"]
        one = rpc["latency_one_client"]
        batch = rpc["sign_batch_64"]["p50_us_per_signature"]
        table.add(rows[0], us(one["sign_p50_us"]), us(botocore_us), botocore_us / one["sign_p50_us"])
        table.add(rows[1], us(one["ping_p50_us"]), us(botocore_us), botocore_us / one["ping_p50_us"],
                  f"Sign = {one['sign_over_ping_p50']:.2f}x Ping")
        table.add(rows[2], us(batch), us(botocore_us), botocore_us / batch)
        table.add(rows[3], per_s(1e6 / batch), per_s(1e6 / botocore_us), botocore_us / batch)
        clients, best = max(((k.split("_")[0], v["sign_per_s"]) for k, v in rpc["throughput"].items()),
                            key=lambda kv: kv[1])
        ping = rpc["throughput"][f"{clients}_clients"]["ping_per_s"]
        table.add(rows[4].replace("best of 1/8/32 clients", f"{clients} clients, best of 1/8/32"), per_s(best),
                  per_s(1e6 / botocore_us), best / (1e6 / botocore_us), f"Ping: {ping:,.0f}/s")
    else:
        for r in rows:
            table.failed(r, "rpc")

    invoke = results["invoke"]
    rows = ["Invoke per call, one client (DynamoDB ListTables, stub server) vs boto3 in-process",
            "Invoke calls/s, 32 clients through one awsd vs one boto3 client in-process",
            "One call from a cold process: `awsctl` vs `aws` sts get-caller-identity (median)"]
    if invoke:
        load = invoke["invoke_through_awsd"]
        boto3_us = invoke["boto3_in_process_us_per_call"]
        awsd_us = load["one_client"]["mean_us"]
        table.add(rows[0], us(awsd_us), us(boto3_us), boto3_us / awsd_us)
        rate = load["many_clients"]["calls_per_second"]
        table.add(rows[1], per_s(rate), per_s(1e6 / boto3_us), rate / (1e6 / boto3_us))
        process = invoke["process_median_seconds"]
        awsctl_s, aws_s = process["awsctl sts get-caller-identity"], process["aws sts get-caller-identity"]
        table.add(rows[2], ms(awsctl_s * 1e3), ms(aws_s * 1e3), aws_s / awsctl_s)
    else:
        for r in rows:
            table.failed(r, "invoke")

    python = results["python_client"]
    rows = ["One call from a cold Python process: `import awsd` + call vs `import boto3` + call (wall, median)",
            "… of which import + call inside the process (median)",
            "… its peak RSS, whole process (a bare interpreter: {bare})",
            "… its peak RSS above the bare interpreter: the library's own memory"]
    if python:
        a, b, bare = python["awsd"], python["boto3"], python["bare"]
        table.add(rows[0], ms(a["wall_ms"]), ms(b["wall_ms"]), b["wall_ms"] / a["wall_ms"])
        table.add(rows[1], ms(a["import_and_call_ms"]), ms(b["import_and_call_ms"]),
                  b["import_and_call_ms"] / a["import_and_call_ms"])
        rss = {side: python[side]["peak_rss_mib"] for side in ("awsd", "boto3", "bare")}
        table.add(rows[2].format(bare=f"{rss['bare']:.1f} MiB"), f"{rss['awsd']:.1f} MiB", f"{rss['boto3']:.1f} MiB",
                  rss["boto3"] / rss["awsd"])
        table.add(rows[3], f"{rss['awsd'] - rss['bare']:.1f} MiB", f"{rss['boto3'] - rss['bare']:.1f} MiB",
                  (rss["boto3"] - rss["bare"]) / max(rss["awsd"] - rss["bare"], 0.1))
    else:
        for r in rows:
            table.failed(r.format(bare="-"), "python_client")

    pages = results["pagination"]
    rows = ["Paginate 10,000 S3 keys (10 pages, moto): client library page range vs boto3 paginator (warm)",
            "Paginate 10,000 S3 keys as a process: `awsctl` vs `aws` s3api list-objects-v2"]
    if pages:
        table.add(rows[0], ms(pages["awsd_page_range_s"] * 1e3), ms(pages["boto3_paginator_s"] * 1e3),
                  pages["boto3_paginator_s"] / pages["awsd_page_range_s"])
        table.add(rows[1], ms(pages["awsctl_process_s"] * 1e3), ms(pages["aws_process_s"] * 1e3),
                  pages["aws_process_s"] / pages["awsctl_process_s"])
        notes.append(f"Pagination includes moto_server's time to serve each page, the same on both sides; one "
                     f"page of 1,000 keys fetched and parsed by boto3 alone takes "
                     f"{pages['moto_one_page_s'] * 1e3:,.0f} ms.")
    else:
        for r in rows:
            table.failed(r, "pagination")

    memory = results["memory"]
    for n in counts:
        row = f"Memory, N={n}: awsd daemon + {n} Python client process{'es' if n > 1 else ''} vs {n} boto3 process{'es' if n > 1 else ''} (PSS; RSS in brackets)"
        found = [r for r in (memory or {}).get("counts", []) if r["processes"] == n]
        if found:
            r = found[0]
            table.add(row, f"{mib(r['awsd_total_pss_kib'])} ({mib(r['awsd_total_rss_kib'])})",
                      f"{mib(r['boto3_pss_kib'])} ({mib(r['boto3_rss_kib'])})",
                      r["boto3_pss_kib"] / r["awsd_total_pss_kib"],
                      f"RSS {r['boto3_rss_kib'] / r['awsd_total_rss_kib']:.2f}x")
        else:
            table.failed(row, "memory")
    if memory and memory.get("counts"):
        first = memory["counts"][0]
        notes.append(f"Memory: the daemon alone is {mib(first['awsd_daemon_idle_rss_kib'])} RSS idle and "
                     f"{mib(first['awsd_daemon_rss_kib'])} after serving one client; one awsd client process is "
                     f"{mib(first['awsd_clients_rss_kib'] / first['processes'])} RSS, one boto3 process "
                     f"{mib(first['boto3_rss_kib'] / first['processes'])}.")

    for n in upstream_counts:
        up = results[f"upstream_{n}"]
        row = f"Upstream credential (IMDS) requests, {n} processes: {n} `awsctl credentials` via one awsd vs {n} boto3"
        if up and up["awsd_imds_requests"]:
            failed = [f"{up[side + '_failures']} {side} process{'es' if up[side + '_failures'] > 1 else ''} "
                      f"got none" for side in ("awsd", "boto3") if up[side + "_failures"]]
            table.add(row, f"{up['awsd_imds_requests']}", f"{up['boto3_imds_requests']}",
                      up["boto3_imds_requests"] / up["awsd_imds_requests"], "; ".join(failed))
        else:
            table.failed(row, f"upstream_{n}")

    if any(results[f"upstream_{n}"] and results[f"upstream_{n}"]["boto3_failures"] for n in upstream_counts):
        notes.append("Upstream: a boto3 process that \"got none\" timed out on IMDS (botocore waits 1 s, once) while "
                     "the others queued on the 2 cores; its requests still count.")
    behind = [row[0] for row in table.rows if row[3] is not None and row[3] < 1]
    if behind:
        notes.append("awsd is not ahead on: " + "; ".join(behind) + ".")
    command = "python3 bench/report.py" + (f" --build {args.build}" if args.build != "build" else "") + \
        (" --quick" if quick else "")
    print(f"Machine: {host['nproc']} cores, {host['cpu']}, Linux {host['kernel']}, Python {host['python']}; "
          f"load average at start {host['load']}.  ")
    print(f"Run: {started:%Y-%m-%d %H:%M} – {finished:%H:%M} UTC"
          + (" (--quick: short runs, not figures to quote)" if quick else "") + ".  ")
    print(f"Command: `{command}`")
    print()
    print(table.markdown())
    if notes:
        print()
        for note in notes:
            print(f"- {note}")
    failed = [name for name, result in results.items() if result is None]
    if failed:
        log(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
