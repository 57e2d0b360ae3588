"""scripts/bench --guard: the engine against the bare C libcurl loop, in one run, on one machine.

nginx (1 worker) answers a fixed chat-completion JSON on 127.0.0.1; three alternating rounds, each the
bare C `curl_multi` loop (scripts/bench_curl_multi.c) for some seconds, then stress-test-db at 100
connections with one event loop (`--loops 1`) for as many requests as the C loop made in that time. The ratio of each pair is ours / bare C; the median of the three is the
verdict (below the floor, two confirming rounds and the median of five). A ratio within one run is stable on these noisy machines where an absolute rate is not. The
floor (0.8) fails only on a large regression: the last one that went unnoticed cost 40% (0.59)."""
import os, statistics, sys, time

from benchlib import Nginx, curl_multi_reference, stdb
from bench_streaming import compile_c

FLOOR = 0.8
ROUNDS = 3
# A median below the floor after three rounds gets two more, and the verdict is the median of all five:
# one noisy round on a busy machine does not fail CI, a real regression (every round low) still does.
CONFIRMING = 2
CONNECTIONS = 100


def guard(args, folder, say, seconds=5):
    """Returns the process's exit status: 0 when the median ratio is at or above FLOOR, else 1."""
    reference = compile_c(folder, "bench_curl_multi.c", ["-lcurl"])
    if not reference:
        say("guard: gcc could not build scripts/bench_curl_multi.c (is libcurl4-openssl-dev installed?)")
        return 1
    began = time.monotonic()
    nginx = Nginx(folder)
    ratios = []
    try:
        say(f"## Guard: {ROUNDS} alternating rounds ({ROUNDS + CONFIRMING} if the median is below {FLOOR}), "
            f"{CONNECTIONS} connections, {seconds} s each, nginx 1 worker")
        say()
        say("| round | bare C req/s | ours req/s | ours / bare C | ours CPU µs/req | bare C CPU µs/req |")
        say("|---:|---:|---:|---:|---:|---:|")
        round_number = 0
        while round_number < ROUNDS or (round_number < ROUNDS + CONFIRMING and statistics.median(ratios) < FLOOR):
            round_number += 1
            c = curl_multi_reference(reference, nginx.url, CONNECTIONS, seconds)
            # A request count for about the same seconds (a duration run's CSV has no count: Python's format).
            # One event loop against the one C loop: `--loops auto` would hide a per-request regression behind a core.
            ours = stdb(args.bin, nginx.url, CONNECTIONS, requests=max(1000, int(c["rps"] * seconds)), extra=["--loops", "1"],
                        light=True)
            ratio = ours["rps"] / c["rps"] if c["rps"] else 0.0
            ratios.append(ratio)
            say(f"| {round_number} | {c['rps']:,.0f} | {ours['rps']:,.0f} | {ratio:.2f} | "
                f"{ours['cpu'] / max(ours['total'], 1) * 1e6:.1f} | {c['cpu'] / max(c['total'], 1) * 1e6:.1f} |")
    finally:
        nginx.stop()
    median = statistics.median(ratios)
    verdict = "pass" if median >= FLOOR else "FAIL"
    say()
    say(f"guard: median ours / bare C = {median:.2f} (floor {FLOOR}): {verdict} "
        f"({time.monotonic() - began:.0f} s)")
    return 0 if median >= FLOOR else 1
