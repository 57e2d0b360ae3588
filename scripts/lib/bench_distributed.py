"""Past one process: 50,000 VUs as 4 shards spread over 4 loopback source addresses, and what the HDR
log costs. Every server listens on 127.0.0.1; every run is bounded in requests and time."""
import json, os, statistics, subprocess, time, urllib.request

from benchlib import Nginx, stdb
from lambsim import LambSim

SHARDS = 4
SOURCES = ",".join(f"127.0.0.{i}" for i in range(2, 2 + SHARDS))


def stats(url):
    with urllib.request.urlopen(url + "/stats", timeout=10) as response:
        return json.load(response)


def distributed(args, folder, say, vus=50000):
    """4 shards of `vus` VUs (2 requests each) against 4 lamb-sims at 1 s latency: this container's hard
    open-file limit (20,000) caps one process, client or server, below 50,000 sockets, so the shards are
    separate processes and each has its own lamb-sim (LAMB workers behind a balancer); every shard
    spreads its connections over the same 4 source addresses."""
    requests = 2 * vus
    say(f"## {vus:,} VUs: {SHARDS} shards over {SHARDS} source addresses, lamb-sim at 1 s latency, {requests:,} requests")
    say()
    sims = [LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "1000") for _ in range(SHARDS)]
    try:
        procs = []
        for i, sim in enumerate(sims):
            env = dict(os.environ, API_BASE_URL=sim.url, JWT_TOKEN="bench-token", ASSISTANT_ID="1")
            command = ["/usr/bin/time", "-f", "%M", "-o", os.path.join(folder, f"shard-{i}.rss"),
                       os.path.join(args.bin, "stress-test-db"), "--vus", str(vus), "--requests", str(requests),
                       "--shard", f"{i}/{SHARDS}", "--source-address", SOURCES, "--timeout", "300", "--no-check",
                       "--no-progress", "--hdr", os.path.join(folder, f"shard-{i}.hlog"), "--interval", "5"]
            procs.append(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
        start = time.monotonic()
        opened_at, peak_open = None, 0
        # A connection counts once its first request reached lamb-sim (connections_by_peer is cumulative;
        # 127.0.0.1 is this script's own /stats polling).
        while any(p.poll() is None for p in procs) and time.monotonic() - start < 900:
            served = sum(count for sim in sims for peer, count in stats(sim.url)["connections_by_peer"].items()
                         if peer != "127.0.0.1")
            peak_open = max(peak_open, served)
            if opened_at is None and served >= vus:
                opened_at = time.monotonic() - start
            time.sleep(0.2)
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        wall = time.monotonic() - start
        received = sum(stats(sim.url)["received"] for sim in sims)
        peers = {}
        for sim in sims:
            for peer, count in stats(sim.url)["connections_by_peer"].items():
                peers[peer] = peers.get(peer, 0) + count
    finally:
        for sim in sims:
            sim.stop()
    rss = [int(open(os.path.join(folder, f"shard-{i}.rss")).read().split()[-1]) / 1024 for i in range(SHARDS)]
    merged = subprocess.run([os.path.join(args.bin, "stress-test-db"), "merge"]
                            + [os.path.join(folder, f"shard-{i}.hlog") for i in range(SHARDS)]
                            + ["--output", os.path.join(folder, "merged.json")], capture_output=True, text=True)
    merged_statistics = json.load(open(os.path.join(folder, "merged.json")))["statistics"]
    per_vu_kb = sum(rss) * 1024 / vus
    say(f"records (merged from the shards' logs) {merged_statistics['total_requests']:,}, lamb-sims received "
        f"{received:,}, failed {merged_statistics['failed']} ({merged_statistics['errors'] or 'none'}); merge exit {merged.returncode}")
    say(f"connections by source address at the servers: "
        + ", ".join(f"{peer} {count:,}" for peer, count in sorted(peers.items())))
    say(f"all {vus:,} connections opened and served a first request after " + (f"{opened_at:.1f} s" if opened_at else f"never ({peak_open:,})")
        + f"; run {wall:.1f} s; merged p50 {merged_statistics['latency_ms']['median']:.1f} ms, p99 {merged_statistics['latency_ms']['p99']:.1f} ms")
    say(f"peak RSS per shard {', '.join(f'{r:.0f}' for r in rss)} MB: {per_vu_kb:.1f} KB per VU")
    say()


def hdr_cost(args, seconds, folder, say, rounds=7):
    """--hdr at 100 VUs against nginx, alternating with the same run without it (light runs: --requests)."""
    requests = 40000 * seconds
    say(f"## HDR recording cost: 100 VUs against nginx, {requests:,} requests a run, {rounds} rounds alternating")
    say()
    nginx = Nginx(folder)
    rates = {"without --hdr": [], "--hdr --interval 1": []}
    try:
        for _ in range(rounds):
            for name, extra in (("without --hdr", []), ("--hdr --interval 1", ["--hdr", os.path.join(folder, "cost.hlog"), "--interval", "1"])):
                rates[name].append(stdb(args.bin, nginx.url, 100, requests=requests, extra=extra, light=True)["rps"])
    finally:
        nginx.stop()
    for name, values in rates.items():
        say(f"{name}: " + ", ".join(f"{v:,.0f}" for v in values) + f" req/s (median {statistics.median(values):,.0f})")
    # Each round's pair ran back to back: the median of their ratios leaves out the machine's drift.
    ratios = [b / a for a, b in zip(rates["without --hdr"], rates["--hdr --interval 1"])]
    say(f"cost: {1 - statistics.median(ratios):+.2%} of throughput (median of the {rounds} pairs' ratios; "
        f"pairs ranged {1 - max(ratios):+.2%} to {1 - min(ratios):+.2%})")
    say()
