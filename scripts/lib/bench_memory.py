"""The memory section of scripts/bench.py: a soak with every real output on, its RSS sampled every 10 s,
and the memory-mapping system calls per request counted under strace. Loopback only, bounded in time."""
import json, os, re, shutil, subprocess, time, urllib.request

from lambsim import LambSim

OUTPUTS = ("--timeseries", "series.jsonl", "--hdr", "run.hlog", "--responses", "responses.jsonl",
           "--report", "report.html")


def _outputs(folder):
    flags = list(OUTPUTS)
    for i in range(1, len(flags), 2):
        flags[i] = os.path.join(folder, flags[i])
    return flags + ["--interval", "10"]


def _rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def memory_soak(args, folder, say, minutes, vus=200, latency_ms=50, log=None):
    """`vus` VUs against lamb-sim (`latency_ms`, SQLite off) for `minutes`, with --timeseries, --hdr,
    --responses and --report; RSS every 10 s (written to `log` as it goes, if given). The table shows
    RSS every `step` minutes and the growth from minute 2."""
    seconds = int(minutes * 60)
    samples = {}
    with LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", str(latency_ms)) as sim:
        env = dict(os.environ, API_BASE_URL=sim.url, JWT_TOKEN="bench-token", ASSISTANT_ID="1")
        proc = subprocess.Popen([os.path.join(args.bin, "stress-test-db"), "--vus", str(vus), "--duration", str(seconds),
                                 "--no-check", "--no-progress"] + _outputs(folder), env=env, stdout=subprocess.DEVNULL)
        start = time.monotonic()
        for mark in range(10, seconds, 10):
            time.sleep(max(0, start + mark - time.monotonic()))
            if proc.poll() is not None:
                break
            samples[mark] = _rss_mb(proc.pid)
            if log:
                with open(log, "a") as f:
                    f.write(f"{mark} {samples[mark]:.2f}\n")
        proc.wait(timeout=600)
        received = json.load(urllib.request.urlopen(sim.url + "/stats"))["received"]
    for name in ("responses.jsonl",):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            os.remove(path)
    step = 10 if minutes >= 30 else 1
    marks = [m for m in range(step * 60, seconds, step * 60) if m in samples]
    base = samples.get(120)
    say(f"## Memory soak: {vus} VUs for {minutes:g} min, lamb-sim at {latency_ms} ms (SQLite off), "
        "--timeseries --hdr --responses --report")
    say()
    say("| minute | RSS MB | vs minute 2 |")
    say("|---:|---:|---:|")
    for mark in ([120] if base else []) + marks:
        growth = f"{(samples[mark] - base) / base * 100:+.1f}%" if base else "–"
        say(f"| {mark // 60} | {samples[mark]:.1f} | {growth} |")
    say()
    say(f"{received:,} requests ({received / seconds:,.0f} req/s)")
    say()
    return samples


def syscalls(args, folder, say, seconds=60, vus=200, latency_ms=20):
    """strace -c over a whole run (seccomp-bpf, so only the counted calls stop the process): mmap, munmap,
    madvise and brk per request, with every real output on."""
    if not shutil.which("strace"):
        say("## Memory system calls: skipped (no strace)")
        return
    with LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", str(latency_ms)) as sim:
        env = dict(os.environ, API_BASE_URL=sim.url, JWT_TOKEN="bench-token", ASSISTANT_ID="1")
        report = os.path.join(folder, "strace.txt")
        subprocess.run(["strace", "-f", "-c", "--seccomp-bpf", "-e", "trace=mmap,munmap,madvise,brk,mremap", "-o", report,
                        os.path.join(args.bin, "stress-test-db"), "--vus", str(vus), "--duration", str(seconds),
                        "--no-check", "--no-progress"] + _outputs(folder), env=env, stdout=subprocess.DEVNULL, timeout=seconds + 120)
        received = json.load(urllib.request.urlopen(sim.url + "/stats"))["received"]
    counts = {}
    with open(report) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 5 and fields[-1] in ("mmap", "munmap", "madvise", "brk", "mremap"):
                counts[fields[-1]] = int(fields[3])
    say(f"## Memory system calls: {vus} VUs for {seconds} s against lamb-sim at {latency_ms} ms, every output on")
    say()
    say("| call | count | per request |")
    say("|---|---:|---:|")
    for name in ("mmap", "munmap", "madvise", "brk", "mremap"):
        say(f"| {name} | {counts.get(name, 0):,} | {counts.get(name, 0) / max(received, 1):.5f} |")
    total = sum(counts.get(n, 0) for n in ("mmap", "munmap", "madvise"))
    say()
    say(f"{received:,} requests; mmap + munmap + madvise: {total / max(received, 1):.5f} per request (goal < 0.01)")
    say()
