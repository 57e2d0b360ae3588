"""scripts/bench --guard: the engine against the bare C libcurl loop, in one run, on one machine.

nginx (1 worker) answers a fixed chat-completion JSON on 127.0.0.1; three alternating rounds, each the
bare C `curl_multi` loop (scripts/bench_curl_multi.c) for some seconds, then stress-test-db at 100
connections with one event loop (`--loops 1`) for as many requests as the C loop made in that time. The ratio of each pair is ours / bare C; the median of the three is the
verdict (below the floor, two confirming rounds and the median of five). A ratio within one run is stable on these noisy machines where an absolute rate is not. The
floor (0.8) fails only on a large regression: the last one that went unnoticed cost 40% (0.59).

`--libcurl DIR` adds a second libcurl (a folder holding libcurl.so.4, loaded with LD_LIBRARY_PATH, e.g.
libcurl 8 from scripts/lib/libcurl8.sh): each round then measures the pair on the system's libcurl and
on DIR's, one after the other, and the verdict needs both medians at the floor.

`--baseline-bin DIR` (an A/B of two builds): each round also runs DIR's stress-test-db for the same
requests, the two builds going first in turn; the median of ours / baseline is printed, not judged."""
import os, statistics, subprocess, time

from benchlib import Nginx, curl_multi_reference, stdb
from bench_streaming import compile_c

FLOOR = 0.8
ROUNDS = 3
# A median below the floor after three rounds gets two more, and the verdict is the median of all five:
# one noisy round on a busy machine does not fail CI, a real regression (every round low) still does.
CONFIRMING = 2
CONNECTIONS = 100


def libcurl_version(binary, env_extra):
    """The libcurl our binary loads with `env_extra` (its `--version` line), e.g. 'libcurl 8.14.1'."""
    env = dict(os.environ, **(env_extra or {}))
    out = subprocess.run([os.path.join(binary, "stress-test-db"), "--version"], env=env, capture_output=True, text=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("libcurl ")), "libcurl ?")
    return " ".join(line.split()[:2])


def one_pair(args, reference, nginx, seconds, env_extra, round_number=1):
    """The bare C loop for `seconds`, then ours for as many requests: (C's numbers, ours, the baseline
    build's or None). With `--baseline-bin`, the two builds take turns going first."""
    c = curl_multi_reference(reference, nginx.url, CONNECTIONS, seconds, env_extra=env_extra)
    # A request count for about the same seconds (a duration run's CSV has no count: Python's format).
    # One event loop against the one C loop: `--loops auto` would hide a per-request regression behind a core.
    def run(binary):
        return stdb(binary, nginx.url, CONNECTIONS, requests=max(1000, int(c["rps"] * seconds)), extra=["--loops", "1"],
                    light=True, env_extra=env_extra)
    baseline_bin = getattr(args, "baseline_bin", None)
    if baseline_bin and round_number % 2 == 0:
        baseline = run(baseline_bin)
        return c, run(args.bin), baseline
    ours = run(args.bin)
    return c, ours, run(baseline_bin) if baseline_bin else None


def guard(args, folder, say, seconds=5):
    """Returns the process's exit status: 0 when every median ratio is at or above FLOOR, else 1."""
    reference = compile_c(folder, "bench_curl_multi.c", ["-lcurl"])
    if not reference:
        say("guard: gcc could not build scripts/bench_curl_multi.c (is libcurl4-openssl-dev installed?)")
        return 1
    libraries = [None] + ([{"LD_LIBRARY_PATH": os.path.abspath(args.libcurl)}] if getattr(args, "libcurl", None) else [])
    names = [libcurl_version(args.bin, env) for env in libraries]
    began = time.monotonic()
    nginx = Nginx(folder)
    ratios = [[] for _ in libraries]
    against_baseline = []
    rates = [([], []) for _ in libraries]
    several = len(libraries) > 1
    try:
        say(f"## Guard: {ROUNDS} alternating rounds ({ROUNDS + CONFIRMING} if the median is below {FLOOR}), "
            f"{CONNECTIONS} connections, {seconds} s each, nginx 1 worker" + (f"; {' and '.join(names)}" if several else ""))
        say()
        say(("| round | libcurl " if several else "| round ") +
            "| bare C req/s | ours req/s | ours / bare C | ours CPU µs/req | bare C CPU µs/req |" +
            (" baseline req/s | ours / baseline | baseline CPU µs/req |" if getattr(args, "baseline_bin", None) else ""))
        say("|---:" + ("|---" if several else "") + "|---:|---:|---:|---:|---:|" +
            ("---:|---:|---:|" if getattr(args, "baseline_bin", None) else ""))
        round_number = 0
        while round_number < ROUNDS or (round_number < ROUNDS + CONFIRMING and
                                        min(statistics.median(r) for r in ratios) < FLOOR):
            round_number += 1
            for which, env_extra in enumerate(libraries):
                c, ours, baseline = one_pair(args, reference, nginx, seconds, env_extra, round_number)
                ratio = ours["rps"] / c["rps"] if c["rps"] else 0.0
                ratios[which].append(ratio)
                rates[which][0].append(c["rps"])
                rates[which][1].append(ours["rps"])
                say(f"| {round_number} " + (f"| {names[which]} " if several else "") +
                    f"| {c['rps']:,.0f} | {ours['rps']:,.0f} | {ratio:.2f} | "
                    f"{ours['cpu'] / max(ours['total'], 1) * 1e6:.1f} | {c['cpu'] / max(c['total'], 1) * 1e6:.1f} |" +
                    (f" {baseline['rps']:,.0f} | {ours['rps'] / baseline['rps']:.2f} | "
                     f"{baseline['cpu'] / max(baseline['total'], 1) * 1e6:.1f} |" if baseline else ""))
                if baseline:
                    against_baseline.append(ours["rps"] / baseline["rps"])
    finally:
        nginx.stop()
    medians = [statistics.median(r) for r in ratios]
    if against_baseline:
        say()
        say(f"guard: median ours / baseline ({args.baseline_bin}) = {statistics.median(against_baseline):.2f} "
            f"over {len(against_baseline)} pairs, the two builds going first in turn (not part of the verdict)")
    verdict = "pass" if min(medians) >= FLOOR else "FAIL"
    say()
    if several:
        for which in range(1, len(libraries)):
            c_change = statistics.median(a / b for a, b in zip(rates[which][0], rates[0][0]))
            ours_change = statistics.median(a / b for a, b in zip(rates[which][1], rates[0][1]))
            say(f"guard: {names[which]} / {names[0]}, median of the rounds: bare C {c_change:.2f}, ours {ours_change:.2f}")
        say(f"guard: median ours / bare C = " + ", ".join(f"{m:.2f} ({n})" for m, n in zip(medians, names)) +
            f" (floor {FLOOR}): {verdict} ({time.monotonic() - began:.0f} s)")
    else:
        say(f"guard: median ours / bare C = {medians[0]:.2f} (floor {FLOOR}): {verdict} "
            f"({time.monotonic() - began:.0f} s)")
    return 0 if verdict == "pass" else 1
