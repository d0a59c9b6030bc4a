#!/usr/bin/python3
"""The Oneflow Link benchmark: start-up against a libadwaita baseline, and
verification against the chain of round trips the API needs.

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
import time
import urllib.request

TOKEN = "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2"
LATENCY_MS = 100

parser = argparse.ArgumentParser()
parser.add_argument("build_dir")
parser.add_argument("--runs", type=int, default=15)
parser.add_argument("--skip-startup", action="store_true", help="only the verification rows")
args = parser.parse_args()
build = os.path.abspath(args.build_dir)
app = os.path.join(build, "src", "oneflow-link")
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


def first_frame(program, env):
    """Returns (ms from exec to the first frame, peak RSS in MB)."""
    started_us = time.monotonic_ns() // 1000
    process = subprocess.Popen([program], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    match = re.search(r"first-frame-us=(\d+)", out)
    if not match or os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{program} did not report a first frame: {out!r}")
    return (int(match.group(1)) - started_us) / 1000, usage.ru_maxrss / 1024


def startup(label, app_env, runs):
    env = dict(os.environ, OFL_BENCH_FIRST_FRAME="1", GDK_DISABLE="gl")
    env.update(app_env)
    times = {"app": [], "baseline": []}
    rss = {"app": [], "baseline": []}
    for _ in range(runs):  # alternating, so drift hits both alike
        for name, program in (("app", app), ("baseline", baseline)):
            t, r = first_frame(program, env)
            times[name].append(t)
            rss[name].append(r)
    med = {k: statistics.median(v) for k, v in times.items()}
    med_rss = {k: statistics.median(v) for k, v in rss.items()}
    rows.append({
        "benchmark": f"start-up: {label}", "runs": runs,
        "app_ms": round(med["app"], 1), "baseline_ms": round(med["baseline"], 1),
        "time_ratio": round(med["app"] / med["baseline"], 3), "time_target": 1.25,
        "app_rss_mb": round(med_rss["app"], 1), "baseline_rss_mb": round(med_rss["baseline"], 1),
        "rss_ratio": round(med_rss["app"] / med_rss["baseline"], 3), "rss_target": 1.3,
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


def store_links(n, url):
    env = dict(os.environ, ONEFLOW_LINK_API_URL=url)
    for i in range(1, n + 1):
        subprocess.run([app, "--link", f"filler{i:04d}@acme.example"], input=TOKEN + "\n",
                       env=env, check=True, capture_output=True, text=True)


with tempfile.NamedTemporaryFile("w", suffix=".token") as token_file:
    token_file.write(TOKEN)
    token_file.flush()
    verification(50, "filler0047@acme.example", 1, 4, token_file.name)
    verification(250, "filler0247@acme.example", 2, 6, token_file.name)
    instructions(250, "filler0247@acme.example", token_file.name)

if not args.skip_startup:
    startup("welcome page (no link)", {}, args.runs)
    server, url = start_fake("--users", "20")
    try:
        store_links(20, url)
        startup("accounts view (20 links)", {"ONEFLOW_LINK_API_URL": url}, args.runs)
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
        print(f"{name:44} app {row['app_ms']:7.1f} ms / baseline {row['baseline_ms']:7.1f} ms = {row['time_ratio']:.2f} (target <= 1.25); "
              f"RSS {row['app_rss_mb']:.1f} / {row['baseline_rss_mb']:.1f} MB = {row['rss_ratio']:.2f} (target <= 1.3)")
    elif name.startswith("verify"):
        print(f"{name:44} {row['median_ms']:7.1f} ms / bound {row['bound_ms']} ms = {row['ratio_to_bound']:.2f} (target <= 1.2); "
              f"requests {row['requests']:g} (minimum {row['minimum_requests']})")
    else:
        print(f"{name:44} {row['instructions']:,} instructions")
print(f"JSON: {os.path.join(build, 'benchmark.json')}")
