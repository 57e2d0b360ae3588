"""scripts/bench --only metrics: what --metrics costs (SPEC 21), measured, not assumed.

1. Throughput at 100 VUs against nginx (1 worker), with and without `--metrics 127.0.0.1:0`, in
   alternating rounds of one run (these machines are noisy: compare within a run).
2. A soak of `--metrics-minutes` with a scrape of /metrics every second: the process's RSS over time and
   the scrape latency (p50, p99, max)."""
import os, re, statistics, subprocess, tempfile, time, urllib.request

from benchlib import Nginx, stdb
from lambsim import LambSim

ROUNDS = 4
VUS = 100
# About 5 s a run at the engine's rate here (light runs take a request count: their CSV has no duration total).
REQUESTS = 250_000


def cost(args, folder, say):
    nginx = Nginx(folder)
    try:
        say(f"## --metrics: throughput at {VUS} VUs against nginx, {ROUNDS} alternating rounds of {REQUESTS:,} requests")
        say()
        say("| round | without req/s | with --metrics req/s | with / without |")
        say("|---:|---:|---:|---:|")
        ratios = []
        for number in range(1, ROUNDS + 1):
            without = stdb(args.bin, nginx.url, VUS, requests=REQUESTS, light=True)
            with_metrics = stdb(args.bin, nginx.url, VUS, requests=REQUESTS, light=True, extra=["--metrics", "127.0.0.1:0"])
            ratio = with_metrics["rps"] / without["rps"] if without["rps"] else 0
            ratios.append(ratio)
            say(f"| {number} | {without['rps']:,.0f} | {with_metrics['rps']:,.0f} | {ratio:.3f} |")
        say()
        say(f"median with / without: {statistics.median(ratios):.3f}")
        say()
    finally:
        nginx.stop()


def scraped_soak(args, folder, say, minutes):
    server = LambSim(os.path.join(args.bin, "lamb-sim"), "--latency-ms", "20-80", "--no-db")
    try:
        env = dict(os.environ, API_BASE_URL=server.url, JWT_TOKEN="bench-token", ASSISTANT_ID="1")
        err = open(os.path.join(folder, "metrics-soak.err"), "w+")
        command = [os.path.join(args.bin, "stress-test-db"), "--vus", "200", "--duration", str(int(minutes * 60)), "--no-check",
                   "--no-progress", "--think", "50ms..150ms", "--metrics", "127.0.0.1:0", "--interval", "1"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        url = None
        for _ in range(300):
            err.seek(0)
            found = re.search(r"Metrics: (http://[0-9.:]+)/metrics", err.read())
            if found:
                url = found.group(1)
                break
            time.sleep(0.1)
        latencies, rss, started = [], [], time.monotonic()
        while process.poll() is None and url:
            begin = time.monotonic()
            try:
                urllib.request.urlopen(url + "/metrics", timeout=5).read()
                latencies.append((time.monotonic() - begin) * 1000)
            except OSError:
                pass
            elapsed = time.monotonic() - started
            if int(elapsed) % 60 == 0 or not rss:
                with open(f"/proc/{process.pid}/status") as status:
                    kb = int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1))
                if not rss or elapsed - rss[-1][0] >= 59:
                    rss.append((elapsed, kb / 1024))
            time.sleep(max(0, 1 - (time.monotonic() - begin)))
        process.wait()
        latencies.sort()
        say(f"## --metrics soak: {minutes:g} min, 200 VUs with --think 50ms..150ms against lamb-sim, /metrics scraped every second")
        say()
        if latencies:
            say(f"scrapes: {len(latencies)}, latency p50 {statistics.median(latencies):.2f} ms, "
                f"p99 {latencies[int(len(latencies) * 0.99) - 1]:.2f} ms, max {latencies[-1]:.2f} ms")
        say("RSS (MB) by minute: " + ", ".join(f"{t / 60:.0f}: {mb:.1f}" for t, mb in rss))
        say()
    finally:
        server.stop()


def metrics(args, folder, say):
    cost(args, folder, say)
    scraped_soak(args, folder, say, args.metrics_minutes)
