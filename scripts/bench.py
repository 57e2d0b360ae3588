"""Runs the benchmark table for scripts/bench. Every server listens on 127.0.0.1; every run is bounded in time."""
import argparse, datetime, json, os, platform, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from benchlib import Nginx, aiohttp_client, curl_multi_reference, hey, stdb, wrk  # noqa: E402
from lambsim import LambSim  # noqa: E402
from bench_streaming import compile_c, streaming  # noqa: E402
from bench_distributed import distributed, hdr_cost  # noqa: E402
from bench_guard import guard  # noqa: E402
from bench_memory import memory_soak, syscalls  # noqa: E402
from bench_metrics import metrics  # noqa: E402
from bench_http2 import http2  # noqa: E402
from bench_libcurls import libcurls  # noqa: E402
from bench_soaks import series_soak, soak  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--baseline-bin", help="another build's bin folder, measured beside this one (before/after)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--series-minutes", type=float, default=10, help="length of each time-series soak run")
    parser.add_argument("--memory-minutes", type=float, default=30, help="length of the memory soak (section memory)")
    parser.add_argument("--metrics-minutes", type=float, default=10, help="length of the scraped soak (section metrics)")
    parser.add_argument("--quick", action="store_true", help="skip the 5-minute soak")
    parser.add_argument("--guard", action="store_true",
                        help="only the regression guard: ours / the bare C loop at 100 connections, exit 1 below 0.8")
    parser.add_argument("--libcurl", metavar="DIR",
                        help="the guard and the libcurls section also measure on the libcurl.so.4 in DIR (LD_LIBRARY_PATH), e.g. libcurl 8")
    parser.add_argument("--distributed-vus", type=int, default=50000, help="VUs of the distributed section, over 4 shards")
    parser.add_argument("--only", default="guard,throughput,lambsim,latency,scale,rate,streaming,soak,series,memory,syscalls,"
                                          "hdr,distributed,metrics,http2,libcurls",
                        help="comma-separated sections to run (default: all)")
    args = parser.parse_args()
    sections = set(args.only.split(","))
    if args.quick:
        sections.discard("soak")
        sections.discard("series")
        sections.discard("memory")
        sections.discard("metrics")
    secs = args.seconds
    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    if args.guard:
        folder = tempfile.mkdtemp(prefix="stdb-guard-")
        try:
            sys.exit(guard(args, folder, print))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    say(f"# stress-test-db benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    say(f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}; loopback only; "
        f"{secs}s per throughput run; nginx 1 worker; wrk -t1")
    say()
    folder = tempfile.mkdtemp(prefix="stdb-bench-")
    try:
        if "guard" in sections:
            guard(args, folder, say)
        if "throughput" in sections:
            throughput(args, secs, folder, say)
        if "lambsim" in sections:
            lambsim_itself(args, secs, folder, say)
        if "latency" in sections:
            latency_accuracy(args, folder, say)
        if "scale" in sections:
            scale(args, folder, say)
        if "rate" in sections:
            open_model(args, folder, say)
        if "streaming" in sections:
            streaming(args, folder, say)
        if "soak" in sections:
            soak(args, say)
        if "series" in sections:
            series_soak(args, folder, say)
        if "syscalls" in sections:
            syscalls(args, folder, say)
        if "memory" in sections:
            memory_soak(args, folder, say, args.memory_minutes)
        if "hdr" in sections:
            hdr_cost(args, secs, folder, say)
        if "distributed" in sections:
            distributed(args, folder, say, vus=args.distributed_vus)
        if "metrics" in sections:
            metrics(args, folder, say)
        if "http2" in sections:
            http2(args, folder, say)
        if "libcurls" in sections:
            libcurls(args, secs, folder, say)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    os.makedirs("bench-output", exist_ok=True)
    path = f"bench-output/bench-{datetime.datetime.now():%Y%m%d-%H%M%S}.md"
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"Written to {path}")


def throughput(args, secs, folder, say):
    nginx = Nginx(folder)
    reference = compile_c(folder, "bench_curl_multi.c", ["-lcurl"])
    results = {}
    try:
        say("## Throughput against nginx (fixed chat-completion JSON)")
        say()
        say("| client | conns | req/s | × wrk | CPU µs/req | peak RSS MB |")
        say("|---|---:|---:|---:|---:|---:|")
        for conns in (10, 100, 1000):
            rows = [("wrk -t1", wrk(nginx.url, conns, secs, folder)),
                    ("hey", hey(nginx.url, conns, secs))]
            if reference:
                rows.append(("bare C curl_multi loop", curl_multi_reference(reference, nginx.url, conns, secs)))
            # A request count sized for about `secs` seconds at the rates seen here.
            count = secs * 30_000
            rows.append(("stress-test-db --loops 1", stdb(args.bin, nginx.url, conns, requests=count, extra=["--loops", "1"],
                                                          light=True)))
            rows.append(("stress-test-db (curl)", stdb(args.bin, nginx.url, conns, requests=count, light=True)))
            if args.baseline_bin:
                rows.append(("baseline stress-test-db (curl)",
                             stdb(args.baseline_bin, nginx.url, conns, requests=count, light=True)))
            rows.append(("stress-test-db --sync",
                         stdb(args.bin, nginx.url, conns, requests=secs * 2_000, extra=["--sync"], light=True)))
            python_client = aiohttp_client(nginx.url, conns, secs) if conns <= 100 else None
            if python_client:
                rows.append(("aiohttp reference", python_client))
            base = rows[0][1]["rps"]
            for name, r in rows:
                results[(name, conns)] = r
                say(f"| {name} | {conns} | {r['rps']:,.0f} | {r['rps'] / base:.2f} | "
                    f"{r['cpu'] / max(r['total'], 1) * 1e6:.1f} | {r['rss']:.0f} |")
        say()
        curl100 = results[("stress-test-db (curl)", 100)]
        say(f"stress-test-db (curl) is the default, --loops auto ({min(os.cpu_count(), 100 // 10)} loops at 100 VUs here); "
            "--loops 1 is one event loop.")
        one100, one1000 = results[("stress-test-db --loops 1", 100)], results[("stress-test-db --loops 1", 1000)]
        say(f"--loops auto / --loops 1: {curl100['rps'] / one100['rps']:.2f}× at 100 VUs "
            f"({curl100['cpu'] / curl100['total'] * 1e6:.1f} vs {one100['cpu'] / one100['total'] * 1e6:.1f} µs CPU/request), "
            f"{results[('stress-test-db (curl)', 1000)]['rps'] / one1000['rps']:.2f}× at 1,000 (goal ≥ 1.3, CPU within 10%)")
        if ("bare C curl_multi loop", 100) in results:
            bare100, bare1000 = results[("bare C curl_multi loop", 100)], results[("bare C curl_multi loop", 1000)]
            say(f"One loop: {one100['rps'] / bare100['rps']:.2f}× the bare C loop at 100 (goal ≥ 0.95), "
                f"{one100['rps'] / results[('hey', 100)]['rps']:.2f}× hey (goal ≥ 1.1); at 1,000 "
                f"{one1000['rps'] / bare1000['rps']:.2f}× the bare C loop (goal ≥ 1.2) and {one1000['rps'] / one100['rps']:.2f}× "
                "its own 100-VU rate (goal ≥ 0.8)")
        say("Goals (curl runner, this run): "
            f"{curl100['rps'] / results[('wrk -t1', 100)]['rps']:.2f}× wrk at 100 (goal ≥ 0.45); "
            f"{curl100['rps'] / results[('hey', 100)]['rps']:.2f}× hey at 100 (goal ≥ 1.8); "
            f"1000-VU rate {results[('stress-test-db (curl)', 1000)]['rps'] / curl100['rps']:.2f}× its 100-VU rate (goal ≥ 0.8); "
            f"{curl100['cpu'] / curl100['total'] * 1e6:.1f} µs CPU/request (goal ≤ 20)"
            + (f"; {curl100['rps'] / results[('bare C curl_multi loop', 100)]['rps']:.2f}× the bare C loop at 100"
               if ('bare C curl_multi loop', 100) in results else "")
            + (f"; {curl100['rps'] / results[('baseline stress-test-db (curl)', 100)]['rps']:.2f}× the baseline build at 100"
               if ('baseline stress-test-db (curl)', 100) in results else "")
            + (f"; {curl100['rps'] / results[('aiohttp reference', 100)]['rps']:.1f}× aiohttp (goal ≥ 15)"
               if ('aiohttp reference', 100) in results else ""))
        say()
    finally:
        nginx.stop()


def lambsim_itself(args, secs, folder, say):
    say("## lamb-sim itself: trivial answers (no latency, SQLite off), 100 connections")
    say()
    sim = LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--allow-anonymous")
    try:
        w = wrk(sim.url, 100, secs, folder)
        h = hey(sim.url, 100, secs)
        c = stdb(args.bin, sim.url, 100, requests=secs * 15_000, extra=["--no-auth"], light=True)
    finally:
        sim.stop()
    say(f"wrk -t1: {w['rps']:,.0f} req/s; hey: {h['rps']:,.0f} req/s; stress-test-db: {c['rps']:,.0f} req/s "
        "(the client benchmarks above use nginx, which is faster still)")
    say()


def latency_accuracy(args, folder, say):
    say("## Latency accuracy: lamb-sim, fixed 50 ms, SQLite off, 500 VUs, 20 s (ideal 10,000 req/s, p50 50 ms)")
    say()
    say("| runner | req/s | % of ideal | p50 ms | p50 − 50 ms |")
    say("|---|---:|---:|---:|---:|")
    for name in ("curl", "--sync", "wrk -t1 (reference: the same server with a C client)"):
        sim = LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "50")
        try:
            if name.startswith("wrk"):
                r = wrk(sim.url, 500, 20, folder, token="bench-token")
            else:
                r = stdb(args.bin, sim.url, 500, seconds=20, extra=["--sync"] if name == "--sync" else [])
        finally:
            sim.stop()
        say(f"| {name} | {r['rps']:,.0f} | {r['rps'] / 100:.1f}% | {r['median']:.2f} | {r['median'] - 50:+.2f} |")
    say()


def scale(args, folder, say):
    say("## Scale: 10,000 VUs, lamb-sim with 1 s latency, 20,000 requests")
    say()
    builds = [("stress-test-db", args.bin)] + ([("baseline stress-test-db", args.baseline_bin)] if args.baseline_bin else [])
    for name, binary in builds:
        with LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "1000") as sim:
            r = stdb(binary, sim.url, 10000, requests=20000, extra=["--timeout", "60"])
        say(f"{name}: completed {r['total']:,}, client errors {r['failed']} ({r['errors'] or 'none'}), "
            f"peak RSS {r['rss']:.0f} MB, {r['rps']:,.0f} req/s (ideal 10,000), p50 {r['median']:.1f} ms")
    sim = LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "1000")
    try:
        w = wrk(sim.url, 10000, 10, folder, token="bench-token")
    finally:
        sim.stop()
    say(f"reference, wrk -t1 -c10000 for 10 s on the same server: {w['rps']:,.0f} req/s, p50 {w['median']:.1f} ms, "
        f"peak RSS {w['rss']:.0f} MB")
    say()


def open_model(args, folder, say):
    """The open model: how closely the schedule is kept, and what the correction shows. No rate-limited
    peer (wrk2, vegeta, oha) installs from the registries here, so the stall row is set against its
    analytic value instead."""
    say("## Open model (--rate)")
    say()
    nginx = Nginx(folder)
    try:
        r = stdb(args.bin, nginx.url, 200, seconds=5, extra=["--rate", "10000"])
    finally:
        nginx.stop()
    s = r["statistics"]
    say(f"10,000 req/s offered against nginx for 5 s, --vus 200: achieved {s['achieved_rate']:,.1f} req/s "
        f"({s['achieved_rate'] / 10000 - 1:+.2%}; goal within 1%), start lag p99 {s['start_lag_ms']['p99']:.3f} ms "
        f"(goal < 1 ms), {s['total_requests']:,} requests, {s['failed']} failed")
    say()
    say("lamb-sim with 1 ms service and a 1 s pause every 5 s (`--stall-every 5 --stall-for 1`), 20 s, 20 VUs:")
    say()
    say("| mode | requests | p50 ms | p99 ms | service p99 ms |")
    say("|---|---:|---:|---:|---:|")
    for name, extra in (("--rate 1000 (corrected)", ["--rate", "1000"]), ("closed loop, same VUs", [])):
        with LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "1", "--stall-every", "5",
                     "--stall-for", "1") as sim:
            r = stdb(args.bin, sim.url, 20, seconds=20, extra=extra)
        s = r["statistics"]
        service = s.get("service_time_ms", {}).get("p99")
        say(f"| {name} | {s['total_requests']:,} | {s['latency_ms']['median']:.1f} | {s['latency_ms']['p99']:.1f} | "
            + (f"{service:.1f} |" if service is not None else "– |"))
    say()
    say("Analytic p99 for the open model: 20% of requests fall due in a pause; the slowest 1% of all are the first "
        "5% of each pause, which wait at least 0.95 s, so p99 ≈ 950 ms plus the service time.")
    say()


if __name__ == "__main__":
    main()
