"""scripts/bench --only http2: SPEC 23 side by side, in one run.

1. nginx (1 worker) over TLS + HTTP/2 serving a fixed answer: ours `--http2 --connections 10 --vus 100`
   against h2load `-c 10 -m 10`, and ours over HTTP/1.1 TLS with 100 connections; req/s and CPU per request.
2. The handshake storm: 2,000 VUs starting together over TLS, one request each: the time until every VU
   has its first answer (the run's wall time) and the CPU it took; then the same with --http2 --connections 20.
3. Through nginx in front of lamb-sim with --stream: TTFT at 200 VUs over HTTP/1.1 and over HTTP/2."""
import os, re, shutil, subprocess

from benchlib import ANSWER, PATH, free_port, stdb, timed, wait_port
from lambsim import LambSim

REQUESTS = 200_000


class TLSNginx:
    """nginx with a fixed answer (or a proxy to `upstream`) over TLS with HTTP/2 and HTTP/1.1 by ALPN;
    `tls=False`: cleartext HTTP/2 with prior knowledge (h2c) instead."""

    def __init__(self, folder, upstream=None, tls=True):
        self.folder = folder
        self.port = free_port()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", f"{folder}/key.pem", "-out", f"{folder}/cert.pem"],
                       check=True, capture_output=True)
        self.cert = f"{folder}/cert.pem"
        if upstream:
            location = (f"location / {{ proxy_pass {upstream}; proxy_http_version 1.1; proxy_set_header Connection \"\"; "
                        "proxy_buffering off; }")
        else:
            location = f"location / {{ default_type application/json; return 200 '{ANSWER}'; }}"
        conf = f"{folder}/tls-nginx.conf"
        with open(conf, "w") as f:
            f.write(f"""worker_processes 1; daemon off; pid {folder}/tls-nginx.pid; error_log {folder}/tls-error.log;
worker_rlimit_nofile 100000;
events {{ worker_connections 20000; }}
http {{ access_log off; keepalive_requests 100000000; http2_max_requests 100000000; keepalive_timeout 300s;
  http2_max_concurrent_streams 1000; ssl_session_cache shared:tls:10m;
  client_body_temp_path {folder}/b; proxy_temp_path {folder}/p; fastcgi_temp_path {folder}/f; uwsgi_temp_path {folder}/u;
  scgi_temp_path {folder}/s;
  server {{ listen 127.0.0.1:{self.port} {"ssl " if tls else ""}http2 backlog=16384;
    {f"ssl_certificate {folder}/cert.pem; ssl_certificate_key {folder}/key.pem;" if tls else ""} {location} }} }}
""")
        self.proc = subprocess.Popen(["nginx", "-c", conf, "-p", folder], stderr=subprocess.DEVNULL)
        wait_port(self.port)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def h2load(url, connections, streams, requests, folder):
    body = os.path.join(folder, "h2load-body.json")
    with open(body, "w") as f:
        f.write('{"messages": [{"role": "user", "content": "Hello"}], "stream": false}')
    out, cpu, _, _ = timed(["h2load", "-n", str(requests), "-c", str(connections), "-m", str(streams), "-t", "1",
                            "-H", "Content-Type: application/json", "-d", body, url + PATH])
    rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out).group(1))
    done = int(re.search(r"requests: \d+ total, \d+ started, (\d+) done", out).group(1))
    return dict(rps=rps, total=done, cpu=cpu)


def http2(args, folder, say):
    if not shutil.which("h2load"):
        say("## HTTP/2: h2load is missing (apt-get install nghttp2-client)")
        return
    nginx = TLSNginx(folder)
    try:
        say(f"## HTTP/2 and TLS: nginx 1 worker, fixed answer over TLS, {REQUESTS:,} requests each")
        say()
        say("| client | req/s | CPU µs/req |")
        say("|---|---:|---:|")
        rows = [("h2load -c 10 -m 10", h2load(nginx.url, 10, 10, REQUESTS, folder)),
                ("ours --http2 --connections 10 --vus 100", stdb(args.bin, nginx.url, 100, requests=REQUESTS, light=True,
                                                                 extra=["--http2", "--connections", "10", "--cacert", nginx.cert])),
                ("ours HTTP/1.1 over TLS, 100 connections", stdb(args.bin, nginx.url, 100, requests=REQUESTS, light=True,
                                                                 extra=["--cacert", nginx.cert]))]
        for name, row in rows:
            say(f"| {name} | {row['rps']:,.0f} | {row['cpu'] / max(row['total'], 1) * 1e6:.1f} |")
        say()
        say("### The handshake storm: 2,000 VUs starting together over TLS, one request each")
        say()
        say("| run | every VU answered after (s) | CPU s | connections |")
        say("|---|---:|---:|---:|")
        for name, extra in [("HTTP/1.1, 2,000 connections", []), ("--http2 --connections 20", ["--http2", "--connections", "20"])]:
            row = stdb(args.bin, nginx.url, 2000, requests=2000, extra=extra + ["--cacert", nginx.cert, "--timeout", "60"])
            say(f"| {name} | {row['seconds']:.2f} | {row['cpu']:.2f} | {row['total'] - row['failed']} answered |")
        say()
    finally:
        nginx.stop()
    server = LambSim(os.path.join(args.bin, "lamb-sim"), "--ttft-ms", "100-200", "--itl-ms", "10-20", "--tokens", "20", "--no-db")
    proxy = TLSNginx(folder, upstream=server.url)
    try:
        say("### TTFT through the proxy: 200 VUs, --stream, 20 s, lamb-sim answering with TTFT 100–200 ms")
        say()
        say("| protocol | requests | TTFT p50 ms | TTFT p95 ms | TTFT p99 ms |")
        say("|---|---:|---:|---:|---:|")
        for name, extra in [("HTTP/1.1 (200 connections)", []), ("HTTP/2 (--connections 20)", ["--http2", "--connections", "20"])]:
            row = stdb(args.bin, proxy.url, 200, seconds=20, extra=extra + ["--stream", "--cacert", proxy.cert],
                       env_extra={"JWT_TOKEN": "bench-token"})
            ttft = row["statistics"]["streaming"]["ttft_ms"]
            say(f"| {name} | {row['total']:,} | {ttft['median']:.1f} | {ttft['p95']:.1f} | {ttft['p99']:.1f} |")
        say()
    finally:
        proxy.stop()
        server.stop()
