#!/usr/bin/python3
"""The Oneflow Link benchmark: start-up against a libadwaita baseline, and
verification, and Connect in the app, against the chain of round trips the
API needs.

    build-aux/run-benchmark.sh            (builds, then runs this inside tests/ofl-test-env)

Prints one table and writes it as JSON to BUILD_DIR/benchmark.json. Every
timing is a ratio against a baseline measured in the same run.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

TOKEN = "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2"
LATENCY_MS = 100
RSS_TARGET = 1.2

parser = argparse.ArgumentParser()
parser.add_argument("build_dir")
parser.add_argument("--runs", type=int, default=15)
parser.add_argument("--skip-startup", action="store_true", help="only the verification rows (no window)")
parser.add_argument("--only", choices=["welcome", "accounts", "connect"], help="only this window row")
args = parser.parse_args()
build = os.path.abspath(args.build_dir)
app = os.path.join(build, "src", "oneflow-link")
# The app's code with the probe, which the product never has (bench-app.c).
bench_app = os.path.join(build, "tests", "bench", "bench-app")
bench_connect = os.path.join(build, "tests", "bench", "bench-connect")
baseline = os.path.join(build, "tests", "bench", "bench-baseline")
bench_verify = os.path.join(build, "tests", "bench", "bench-verify")
fake_server = os.path.join(build, "tests", "fake", "oneflow-fake-server")
rows = []


def start_fake(*extra):
    server = subprocess.Popen([fake_server, *extra], stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip()
    return server, url


def stop(server):
    server.terminate()
    server.wait()


def run_timed(argv, env, key, timeout=120):
    """Runs a benchmark program to its end; returns (the number it printed as KEY=N, its peak RSS in MB)."""
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, env=env)
        # A program that never sees what it waits for is killed, not waited for.
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        out = process.stdout.read().decode()
        _, status, usage = os.wait4(process.pid, 0)
        killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        match = re.search(key + r"=(\d+)", out)
        if not match or process.returncode != 0:
            err.seek(0)
            sys.exit(f"{argv[0]} did not report {key} (exit {process.returncode}): {out!r}\n"
                     f"{err.read().decode(errors='replace')[-3000:]}")
    return int(match.group(1)), usage.ru_maxrss / 1024


def first_frame(argv, env):
    """Returns (ms from exec to the first frame with content, peak RSS in MB)."""
    started_us = time.monotonic_ns() // 1000
    painted_us, rss = run_timed(argv, env, "first-frame-us")
    return (painted_us - started_us) / 1000, rss


def startup(label, view, app_env, runs, time_target):
    env = dict(os.environ, GDK_DISABLE="gl")
    env.update(app_env)
    times = {"app": [], "baseline": []}
    rss = {"app": [], "baseline": []}
    for _ in range(runs):  # alternating, so drift hits both alike
        for name, argv in (("app", [bench_app, view]), ("baseline", [baseline])):
            t, r = first_frame(argv, env)
            times[name].append(t)
            rss[name].append(r)
    med = {k: statistics.median(v) for k, v in times.items()}
    med_rss = {k: statistics.median(v) for k, v in rss.items()}
    rows.append({
        "benchmark": f"start-up: {label}", "runs": runs,
        "app_ms": round(med["app"], 1), "baseline_ms": round(med["baseline"], 1),
        "time_ratio": round(med["app"] / med["baseline"], 3), "time_target": time_target,
        "app_rss_mb": round(med_rss["app"], 1), "baseline_rss_mb": round(med_rss["baseline"], 1),
        "rss_ratio": round(med_rss["app"] / med_rss["baseline"], 3), "rss_target": RSS_TARGET,
    })


def requests_served(url):
    control = url.rsplit("/v1", 1)[0] + "/_fake/requests"
    with urllib.request.urlopen(control, timeout=10) as response:
        return [r for r in json.load(response) if r.get("endpoint") != "control"]


def verification(users, email, round_trips, minimum_requests, token_file):
    server, url = start_fake("--latency", str(LATENCY_MS), "--users", str(users - 3))
    try:
        out = subprocess.run([bench_verify, "--url", url, "--token-file", token_file, "--email", email,
                              "--runs", "10"], check=True, capture_output=True, text=True).stdout
        walls = [int(m) / 1000 for m in re.findall(r"wall_us=(\d+)", out)]
        sent = len(requests_served(url)) / len(walls)
    finally:
        stop(server)
    bound = round_trips * LATENCY_MS
    rows.append({
        "benchmark": f"verify: {users} users", "runs": len(walls),
        "median_ms": round(statistics.median(walls), 1), "bound_ms": bound,
        "ratio_to_bound": round(statistics.median(walls) / bound, 3), "ratio_target": 1.2,
        "requests": sent, "minimum_requests": minimum_requests,
    })


def instructions(users, email, token_file):
    server, url = start_fake("--users", str(users - 3))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out_file = os.path.join(tmp, "callgrind.out")
            subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}",
                            bench_verify, "--url", url, "--token-file", token_file, "--email", email, "--runs", "1"],
                           check=True, capture_output=True)
            with open(out_file) as f:
                total = int(re.search(r"^summary:\s+(\d+)", f.read(), re.M).group(1))
    finally:
        stop(server)
    rows.append({"benchmark": f"instructions: verify {users} users (callgrind)", "instructions": total})


def connect(users, email, round_trips, token_file, runs):
    """Connect in the app, from the press to the result on screen (bench-connect.c), against the
    round trips the API needs; bench-verify on the same server is verification alone, for scale."""
    server, url = start_fake("--latency", str(LATENCY_MS), "--users", str(users - 3))
    env = dict(os.environ, GDK_DISABLE="gl", ONEFLOW_LINK_API_URL=url)
    times = []
    try:
        for _ in range(runs):
            us, _ = run_timed([bench_connect, "--token-file", token_file, "--email", email], env, "connect-us")
            times.append(us / 1000)
            # The next run links again from the welcome page.
            subprocess.run([app, "--unlink", email], env=env, check=True, capture_output=True)
        out = subprocess.run([bench_verify, "--url", url, "--token-file", token_file, "--email", email,
                              "--runs", str(runs)], check=True, capture_output=True, text=True).stdout
        verify = [int(m) / 1000 for m in re.findall(r"wall_us=(\d+)", out)]
    finally:
        stop(server)
    bound = round_trips * LATENCY_MS
    rows.append({
        "benchmark": f"connect: {users} users", "runs": runs,
        "median_ms": round(statistics.median(times), 1), "bound_ms": bound,
        "ratio_to_bound": round(statistics.median(times) / bound, 3), "ratio_target": 1.2,
        "verify_only_ms": round(statistics.median(verify), 1),
    })


def store_links(n, url):
    env = dict(os.environ, ONEFLOW_LINK_API_URL=url)
    for i in range(1, n + 1):
        subprocess.run([app, "--link", f"filler{i:04d}@acme.example"], input=TOKEN + "\n",
                       env=env, check=True, capture_output=True, text=True)


def want(row):
    """Whether to run a row: every row by default; --skip-startup keeps the ones with no window."""
    if args.only:
        return row == args.only
    return row == "verify" or not args.skip_startup


with tempfile.NamedTemporaryFile("w", suffix=".token") as token_file:
    token_file.write(TOKEN)
    token_file.flush()
    if want("verify"):
        verification(50, "filler0047@acme.example", 1, 4, token_file.name)
        verification(250, "filler0247@acme.example", 2, 6, token_file.name)
        instructions(250, "filler0247@acme.example", token_file.name)
    if want("connect"):
        connect(50, "filler0047@acme.example", 1, token_file.name, args.runs)
        connect(250, "filler0247@acme.example", 2, token_file.name, args.runs)

if want("welcome"):
    startup("welcome page (no link)", "welcome", {}, args.runs, 1.15)
if want("accounts"):
    server, url = start_fake("--users", "20")
    try:
        store_links(20, url)
        startup("accounts view (20 links)", "accounts", {"ONEFLOW_LINK_API_URL": url}, args.runs, 1.25)
        for i in range(1, 21):  # as it was: a later row starts from no link
            subprocess.run([app, "--unlink", f"filler{i:04d}@acme.example"], check=True, capture_output=True)
    finally:
        stop(server)

result = {
    "date": time.strftime("%Y-%m-%d"),
    "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
    "rows": rows,
}
with open(os.path.join(build, "benchmark.json"), "w") as f:
    json.dump(result, f, indent=2)

print(f"Oneflow Link benchmark, {result['date']}, {result['machine']}")
for row in rows:
    name = row["benchmark"]
    if name.startswith("start-up"):
        print(f"{name:44} app {row['app_ms']:7.1f} ms / baseline {row['baseline_ms']:7.1f} ms = {row['time_ratio']:.2f} "
              f"(target <= {row['time_target']}); "
              f"RSS {row['app_rss_mb']:.1f} / {row['baseline_rss_mb']:.1f} MB = {row['rss_ratio']:.2f} (target <= {row['rss_target']})")
    elif name.startswith("connect"):
        print(f"{name:44} {row['median_ms']:7.1f} ms / bound {row['bound_ms']} ms = {row['ratio_to_bound']:.2f} (target <= 1.2); "
              f"verification alone {row['verify_only_ms']:.1f} ms")
    elif name.startswith("verify"):
        print(f"{name:44} {row['median_ms']:7.1f} ms / bound {row['bound_ms']} ms = {row['ratio_to_bound']:.2f} (target <= 1.2); "
              f"requests {row['requests']:g} (minimum {row['minimum_requests']})")
    else:
        print(f"{name:44} {row['instructions']:,} instructions")
print(f"JSON: {os.path.join(build, 'benchmark.json')}")
