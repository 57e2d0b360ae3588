"""Runs the benchmark table for scripts/bench. Every server listens on 127.0.0.1; every run is bounded in time."""
import argparse, datetime, os, platform, re, socket, subprocess, sys, tempfile, threading, time

BODY = '{"messages": [{"role": "user", "content": "Hello"}], "stream": false}'
ANSWER = ('{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"nginx-fixed","choices":[{"index":0,'
          '"message":{"role":"assistant","content":"Hello! How can I help you today?"},"finish_reason":"stop"}],'
          '"usage":{"prompt_tokens":1,"completion_tokens":7,"total_tokens":8}}')
PATH = "/creator/assistant/1/chat/completions"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port}")


def timed(command, env=None, timeout=900):
    """Runs a command under /usr/bin/time: (stdout, cpu seconds user+sys, peak RSS in MB, wall seconds)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", t.name] + command, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
        wall = time.monotonic() - start
        user, system, rss = t.read().strip().splitlines()[-1].split()
    return proc.stdout, float(user) + float(system), int(rss) / 1024, wall


class Nginx:
    def __init__(self, folder):
        self.port = free_port()
        conf = os.path.join(folder, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 1; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;
worker_rlimit_nofile 100000;
events {{ worker_connections 20000; }}
http {{ access_log off; keepalive_requests 100000000; keepalive_timeout 300s;
  server {{ listen 127.0.0.1:{self.port} backlog=16384;
    location / {{ default_type application/json; return 200 '{ANSWER}'; }} }} }}
""")
        self.proc = subprocess.Popen(["nginx", "-c", conf, "-p", folder], stderr=subprocess.DEVNULL)
        wait_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class LambSim:
    def __init__(self, binary, *args):
        self.proc = subprocess.Popen([binary, "--port", "0", "--token", "bench-token"] + list(args),
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.url = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def stdb(binary, url, vus, seconds=None, requests=None, extra=(), env_extra=None, timeout=900, sampler=None):
    env = dict(os.environ, API_BASE_URL=url, JWT_TOKEN="bench-token", ASSISTANT_ID="1")
    if env_extra:
        env.update(env_extra)
    with tempfile.TemporaryDirectory() as folder:
        csv = os.path.join(folder, "run.csv")
        command = [os.path.join(binary, "stress-test-db"), "--vus", str(vus), "--no-check", "--no-progress", "--csv", csv]
        command += ["--duration", str(seconds)] if seconds else []
        command += ["--requests", str(requests)] if requests else []
        command += list(extra)
        out, cpu, rss, wall = timed(command, env=env, timeout=timeout)
        row = open(csv).read().splitlines()[-1].split(",")
    total = int(re.search(r"Requests:\s+(\d+) total", out).group(1))
    failed = int(re.search(r"Failed:\s+(\d+)", out).group(1))
    median = float(re.search(r"Median:\s+([\d.]+)", out).group(1)) if "Median:" in out else float("nan")
    run_seconds = float(row[7])
    return dict(rps=total / run_seconds if run_seconds else 0, total=total, failed=failed, cpu=cpu, rss=rss,
                median=median, seconds=run_seconds, errors=row[9])


def wrk(url, connections, seconds, folder, token=None):
    script = os.path.join(folder, "post.lua")
    with open(script, "w") as f:
        f.write(f'wrk.method = "POST"\nwrk.body = \'{BODY}\'\nwrk.headers["Content-Type"] = "application/json"\n')
        if token:
            f.write(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
    out, cpu, rss, _ = timed(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url + PATH])
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    median = float(p50.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)] if p50 else float("nan")
    return dict(rps=rps, total=rps * seconds, cpu=cpu, rss=rss, median=median)


def hey(url, connections, seconds):
    out, cpu, rss, _ = timed(["hey", "-z", f"{seconds}s", "-c", str(connections), "-m", "POST", "-T", "application/json",
                              "-d", BODY, url + PATH])
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return dict(rps=rps, total=rps * seconds, cpu=cpu, rss=rss)


def aiohttp_client(url, connections, seconds):
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    out, cpu, rss, _ = timed([sys.executable, os.path.join(here, "bench_aiohttp.py"), url + PATH, str(connections), str(seconds)])
    done, elapsed = out.split()[-2:]
    return dict(rps=int(done) / float(elapsed), total=int(done), cpu=cpu, rss=rss)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip the 5-minute soak")
    parser.add_argument("--only", default="throughput,lambsim,latency,scale,soak",
                        help="comma-separated sections to run (default: all)")
    args = parser.parse_args()
    sections = set(args.only.split(","))
    if args.quick:
        sections.discard("soak")
    secs = args.seconds
    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    say(f"# stress-test-db benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    say(f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}; loopback only; "
        f"{secs}s per throughput run; nginx 1 worker; wrk -t1")
    say()
    folder = tempfile.mkdtemp(prefix="stdb-bench-")
    if "throughput" in sections:
        throughput(args, secs, folder, say)
    if "lambsim" in sections:
        lambsim_itself(args, secs, folder, say)
    if "latency" in sections:
        latency_accuracy(args, folder, say)
    if "scale" in sections:
        scale(args, say)
    if "soak" in sections:
        soak(args, say)

    os.makedirs("bench-output", exist_ok=True)
    path = f"bench-output/bench-{datetime.datetime.now():%Y%m%d-%H%M%S}.md"
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"Written to {path}")


def throughput(args, secs, folder, say):
    nginx = Nginx(folder)
    results = {}
    try:
        say("## Throughput against nginx (fixed chat-completion JSON)")
        say()
        say("| client | conns | req/s | × wrk | CPU µs/req | peak RSS MB |")
        say("|---|---:|---:|---:|---:|---:|")
        for conns in (10, 100, 1000):
            rows = [("wrk -t1", wrk(nginx.url, conns, secs, folder)),
                    ("hey", hey(nginx.url, conns, secs)),
                    ("stress-test-db (curl)", stdb(args.bin, nginx.url, conns, seconds=secs)),
                    ("stress-test-db --sync", stdb(args.bin, nginx.url, conns, seconds=secs, extra=["--sync"]))]
            reference = aiohttp_client(nginx.url, conns, secs) if conns <= 100 else None
            if reference:
                rows.append(("aiohttp reference", reference))
            base = rows[0][1]["rps"]
            for name, r in rows:
                results[(name, conns)] = r
                say(f"| {name} | {conns} | {r['rps']:,.0f} | {r['rps'] / base:.2f} | "
                    f"{r['cpu'] / max(r['total'], 1) * 1e6:.1f} | {r['rss']:.0f} |")
        say()
        curl100 = results[("stress-test-db (curl)", 100)]
        say("Goals (curl runner, this run): "
            f"{curl100['rps'] / results[('wrk -t1', 100)]['rps']:.2f}× wrk at 100 (goal ≥ 0.45); "
            f"{curl100['rps'] / results[('hey', 100)]['rps']:.2f}× hey at 100 (goal ≥ 1.8); "
            f"1000-VU rate {results[('stress-test-db (curl)', 1000)]['rps'] / curl100['rps']:.2f}× its 100-VU rate (goal ≥ 0.8); "
            f"{curl100['cpu'] / curl100['total'] * 1e6:.1f} µs CPU/request (goal ≤ 20)"
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
        c = stdb(args.bin, sim.url, 100, seconds=secs, extra=["--no-auth"])
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


def scale(args, say):
    say("## Scale: 10,000 VUs, lamb-sim with 1 s latency, 20,000 requests")
    say()
    sim = LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "1000")
    try:
        r = stdb(args.bin, sim.url, 10000, requests=20000, extra=["--timeout", "60"])
    finally:
        sim.stop()
    say(f"stress-test-db: completed {r['total']:,}, client errors {r['failed']} ({r['errors'] or 'none'}), "
        f"peak RSS {r['rss']:.0f} MB, {r['rps']:,.0f} req/s (ideal 10,000), p50 {r['median']:.1f} ms")
    sim = LambSim(os.path.join(args.bin, "lamb-sim"), "--no-db", "--latency-ms", "1000")
    try:
        w = wrk(sim.url, 10000, 10, tempfile.mkdtemp(prefix="stdb-bench-"), token="bench-token")
    finally:
        sim.stop()
    say(f"reference, wrk -t1 -c10000 for 10 s on the same server: {w['rps']:,.0f} req/s, p50 {w['median']:.1f} ms, "
        f"peak RSS {w['rss']:.0f} MB")
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
            out, _ = proc.communicate(timeout=120)
        total = int(re.search(r"Requests:\s+(\d+) total", out).group(1))
    finally:
        sim.stop()
    growth = (samples[295] - samples[60]) / samples[60] * 100
    say(f"RSS at 1 min {samples[60]:.1f} MB, at the end {samples[295]:.1f} MB: {growth:+.1f}% (goal < 10%); "
        f"{total:,} requests")
    say()


if __name__ == "__main__":
    main()
