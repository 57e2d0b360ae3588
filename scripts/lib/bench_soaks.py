"""scripts/bench's soak sections: the time-series soak and the 5-minute soak."""
import json, os, re, subprocess, tempfile, time

from lambsim import LambSim


def series_soak(args, folder, say):
    """A soak at 200 VUs with --timeseries --interval 1 --report, beside the same run without them:
    RSS at minute 1 and at the end, and the throughput cost of the time series. Requests are counted
    by lamb-sim itself (/stats received), the same way for both runs."""
    minutes = args.series_minutes
    seconds = int(minutes * 60)
    say(f"## Time-series soak: 200 VUs for {minutes:g} min, lamb-sim at 20 ms (SQLite off)")
    say()
    say("| run | requests | req/s | RSS at 1 min MB | RSS at the end MB | growth |")
    say("|---|---:|---:|---:|---:|---:|")
    rates = {}
    for name, extra in (("--timeseries --interval 1 --report", ["--timeseries", os.path.join(folder, "series.jsonl"),
                                                                "--interval", "1", "--report", os.path.join(folder, "series.html")]),
                        ("without them", [])):
        with LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "20") as sim:
            env = dict(os.environ, API_BASE_URL=sim.url, JWT_TOKEN="bench-token", ASSISTANT_ID="1")
            proc = subprocess.Popen([os.path.join(args.bin, "stress-test-db"), "--vus", "200", "--duration", str(seconds),
                                     "--no-check", "--no-progress"] + extra, env=env, stdout=subprocess.DEVNULL)
            start = time.monotonic()
            samples = {}
            for mark in (60, seconds - 5):
                time.sleep(max(0, start + mark - time.monotonic()))
                with open(f"/proc/{proc.pid}/status") as f:
                    samples[mark] = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024
            proc.wait(timeout=300)
            elapsed = time.monotonic() - start
            import urllib.request
            received = json.load(urllib.request.urlopen(sim.url + "/stats"))["received"]
        rates[name] = received / seconds
        growth = (samples[seconds - 5] - samples[60]) / samples[60] * 100
        say(f"| {name} | {received:,} | {received / seconds:,.0f} | {samples[60]:.1f} | {samples[seconds - 5]:.1f} | {growth:+.1f}% |")
    say()
    cost = 1 - rates["--timeseries --interval 1 --report"] / rates["without them"]
    say(f"Throughput cost of the time series and report: {cost:+.2%} (goal < 2%); RSS growth goal within 5%.")
    say()


def soak(args, say):
    say("## Soak: 100 VUs for 5 minutes with --responses (lamb-sim, 20 ms, SQLite off)")
    say()
    sim = LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "20")
    samples = {}
    try:
        with tempfile.TemporaryDirectory() as soak:
            env = dict(os.environ, API_BASE_URL=sim.url, JWT_TOKEN="bench-token", ASSISTANT_ID="1")
            proc = subprocess.Popen([os.path.join(args.bin, "stress-test-db"), "--vus", "100", "--duration", "300",
                                     "--no-check", "--no-progress", "--responses", os.path.join(soak, "soak.jsonl")],
                                    env=env, stdout=subprocess.PIPE, text=True)
            start = time.monotonic()

            def rss():
                with open(f"/proc/{proc.pid}/status") as f:
                    return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024
            for mark in (60, 295):
                time.sleep(max(0, start + mark - time.monotonic()))
                samples[mark] = rss()
            proc.communicate(timeout=120)
            with open(os.path.join(soak, "soak.jsonl"), "rb") as f:
                total = sum(1 for _ in f)
    finally:
        sim.stop()
    growth = (samples[295] - samples[60]) / samples[60] * 100
    say(f"RSS at 1 min {samples[60]:.1f} MB, at the end {samples[295]:.1f} MB: {growth:+.1f}% (goal < 10%); "
        f"{total:,} requests")
    say()
