"""One call from a fresh Python process: `import awsd` and
awsd.client('sts').get_caller_identity() through the daemon, against
`import boto3` and the same call, on one moto_server, in one run, with the
same interpreter. Prints wall time (process start to exit), the time from
the import to the answer inside the process, and peak RSS, each as a median
of RUNS alternating runs, and the ratios (as JSON with BENCH_JSON=1). A bare
interpreter (the same one, importing nothing) runs alongside: what is above
it is what each library costs, the interpreter being the same for both.

    python3 bench/python_client/run.py [BIN_DIR] [PYTHON_DIR] [RUNS]

BIN_DIR: awsd and awsctl (build/bin); PYTHON_DIR: the built package (build/python).
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
BIN_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bin")
PYTHON_DIR = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "build", "python"))
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 15
sys.argv[1:] = [BIN_DIR]
sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))

from moto_support import awsd_against_moto  # noqa: E402

# Each child prints the milliseconds from before its import to after the
# answer, and its peak RSS (VmHWM: its own, where ru_maxrss would count the
# parent it was forked from).
PEAK_RSS = "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"

AWSD_CHILD = """
import time; t = time.perf_counter()
import sys; sys.path.insert(0, {python_dir!r})
sys.path.append('/usr/lib/python3/dist-packages')  # grpcio, should a streaming call need it
import awsd
assert awsd.client('sts').get_caller_identity()['Account']
print((time.perf_counter() - t) * 1000)
""" + PEAK_RSS
BARE_CHILD = """
import time; t = time.perf_counter()
print((time.perf_counter() - t) * 1000)
""" + PEAK_RSS
BOTO3_CHILD = """
import time; t = time.perf_counter()
import boto3
assert boto3.client('sts', endpoint_url={endpoint!r}).get_caller_identity()['Account']
print((time.perf_counter() - t) * 1000)
""" + PEAK_RSS


def run_child(code, env):
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, _ = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    process.stdout.close()
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"child failed: {err[-600:]}")
    elapsed, peak_kib = out.split()
    return wall, float(elapsed), int(peak_kib) / 1024


def main():
    with awsd_against_moto("awsd-bench-py-", "bench") as setup:
        awsd_env = {"PATH": os.environ["PATH"], "AWSD_SOCKET": setup.socket_path, "HOME": setup.work}
        boto3_env = dict(setup.aws_env, HOME=setup.work)
        sides = {"awsd": (AWSD_CHILD.format(python_dir=PYTHON_DIR), awsd_env),
                 "boto3": (BOTO3_CHILD.format(endpoint=setup.endpoint), boto3_env),
                 "bare": (BARE_CHILD, awsd_env)}
        for code, env in sides.values():  # warm the page cache and the daemon's model cache
            run_child(code, env)
        samples = {side: [] for side in sides}
        for _ in range(RUNS):
            for side, (code, env) in sides.items():
                samples[side].append(run_child(code, env))

    medians = {side: [statistics.median(s[i] for s in runs) for i in range(3)] for side, runs in samples.items()}
    if os.environ.get("BENCH_JSON"):  # machine-readable, for bench/report.py
        keys = ("wall_ms", "import_and_call_ms", "peak_rss_mib")
        print(json.dumps({"runs": RUNS, "python": sys.executable,
                          **{side: {k: round(v, 2) for k, v in zip(keys, m)} for side, m in medians.items()}}))
        return
    print(f"one call from a fresh process, median of {RUNS} runs each ({sys.executable})")
    print(f"{'':24}{'awsd':>10}{'boto3':>10}{'boto3/awsd':>12}{'bare':>10}{'above bare':>12}")
    for i, label in enumerate(("process wall time, ms", "import + call, ms", "peak RSS, MiB")):
        a, b, bare = medians["awsd"][i], medians["boto3"][i], medians["bare"][i]
        above = f"{(b - bare) / (a - bare):11.2f}x" if i != 1 else ""
        print(f"{label:24}{a:10.1f}{b:10.1f}{b / a:11.2f}x{bare:10.1f}{above}")


if __name__ == "__main__":
    main()
