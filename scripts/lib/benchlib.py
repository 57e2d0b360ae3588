"""The clients and servers scripts/bench.py measures, each run bounded in time, every server on 127.0.0.1."""
import csv, json, os, re, socket, subprocess, sys, tempfile, time

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


def stdb(binary, url, vus, seconds=None, requests=None, extra=(), env_extra=None, timeout=900, light=False):
    """One stress-test-db run. Its numbers come from its own files, never its console: the --csv row
    (total_time, success_pct, error; read by column name) and, unless `light`, the --output JSON's
    statistics. `light` runs (the throughput table) take --requests N and write only the CSV: the
    --output document renders every record, work that would compete with the engine and the server
    for the two cores and so would not measure the engine."""
    env = dict(os.environ, API_BASE_URL=url, JWT_TOKEN="bench-token", ASSISTANT_ID="1")
    if env_extra:
        env.update(env_extra)
    with tempfile.TemporaryDirectory(prefix="stdb-bench-run-") as folder:
        csv_path, json_path = os.path.join(folder, "run.csv"), os.path.join(folder, "run.json")
        command = [os.path.join(binary, "stress-test-db"), "--vus", str(vus), "--no-check", "--no-progress",
                   "--csv", csv_path] + ([] if light else ["--output", json_path])
        command += ["--duration", str(seconds)] if seconds else []
        command += ["--requests", str(requests)] if requests else []
        command += list(extra)
        _, cpu, rss, _ = timed(command, env=env, timeout=timeout)
        with open(csv_path, newline="") as f:
            row = list(csv.DictReader(f))[-1]
        statistics = None
        if not light:
            with open(json_path) as f:
                statistics = json.load(f)["statistics"]
    run_seconds = float(row["total_time"])
    if statistics:
        total, failed = statistics["total_requests"], statistics["failed"]
        median = statistics["latency_ms"].get("median", float("nan"))
    else:
        total = int(row["total_requests"])
        failed = total - round(float(row["success_pct"]) * total / 100)
        median = float("nan")
    return dict(rps=total / run_seconds if run_seconds else 0, total=total, failed=failed, cpu=cpu, rss=rss,
                median=median, seconds=run_seconds, errors=row["error"], statistics=statistics)


def curl_multi_reference(program, url, connections, seconds, env_extra=None):
    """The bare C libcurl loop (scripts/bench_curl_multi.c): the engine's ceiling. `env_extra`: e.g.
    LD_LIBRARY_PATH, to load another libcurl at run time."""
    env = dict(os.environ, **env_extra) if env_extra else None
    out, cpu, rss, _ = timed([program, url + PATH, str(connections), str(seconds)], env=env)
    done, elapsed = out.split()[-2:]
    return dict(rps=int(done) / float(elapsed), total=int(done), cpu=cpu, rss=rss)


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
    out, cpu, rss, _ = timed([sys.executable, os.path.join(here, "..", "bench_aiohttp.py"), url + PATH, str(connections), str(seconds)])
    done, elapsed = out.split()[-2:]
    return dict(rps=int(done) / float(elapsed), total=int(done), cpu=cpu, rss=rss)


class PacedSSEServer:
    """scripts/bench_sse_server.c: Server-Sent Events on an exact schedule, whatever the load."""

    def __init__(self, program, ttft_ms, itl_ms, tokens, prefix=()):
        self.proc = subprocess.Popen(list(prefix) + [program, str(ttft_ms), str(itl_ms), str(tokens)],
                                     stdout=subprocess.PIPE, text=True)
        self.url = re.search(r"http://127\.0\.0\.1:\d+", self.proc.stdout.readline()).group(0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()
