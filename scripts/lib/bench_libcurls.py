"""scripts/bench --only libcurls [--libcurl DIR | --libcurl8]: issue 29's four tables, for the system's libcurl
and (with --libcurl) the one in DIR, in one run.

1. HTTP/1.1 against nginx (1 worker) at 100 and 1,000 connections: the bare C `curl_multi` loop for some
   seconds, then ours with `--loops 1` and with the default loops for as many requests; hey beside them.
2. HTTP/2 against h2load at equal connections and streams (`h2load -c C -m M -t 1` against
   `--http2 --connections C --vus C×M`): TLS 10 × 10, and h2c 4 × 25 where the libcurl runs h2c (≥ 8);
   beside them the bare C loop over HTTP/2 (C × M transfers multiplexed on C connections), libcurl's ceiling.
3. Streams: the paced server (TTFT 150 ms, ITL 20 ms, 30 chunks) at 1,000, 2,500 and 5,000 streams,
   TTFT against the true 150 ms and CPU µs per chunk, without and with `--preconnect`.
Ratios within one libcurl's rows are what to read: the machine is shared and absolute rates move."""
import os, shutil, subprocess

from benchlib import PATH, Nginx, PacedSSEServer, curl_multi_reference, hey, stdb, timed
from bench_http2 import TLSNginx, h2load
from bench_streaming import compile_c
from bench_guard import libcurl_version

H2_REQUESTS = 30_000
STREAM_ROUNDS = 3
STREAMING = ["--stream", "--response-max-chars", "1", "--endpoint-path", "/v1/chat/completions"]


def http1(args, reference, env, name, secs, folder, say):
    nginx = Nginx(folder)
    try:
        for conns in (100, 1000):
            c = curl_multi_reference(reference, nginx.url, conns, secs, env_extra=env)
            count = max(1000, int(c["rps"] * secs))
            one = stdb(args.bin, nginx.url, conns, requests=count, extra=["--loops", "1"], light=True, env_extra=env)
            default = stdb(args.bin, nginx.url, conns, requests=count, light=True, env_extra=env)
            h = hey(nginx.url, conns, secs)
            say(f"| {name} | {conns:,} | {c['rps']:,.0f} | {one['rps']:,.0f} ({one['rps'] / c['rps']:.2f}×) | "
                f"{default['rps']:,.0f} ({default['rps'] / c['rps']:.2f}×) | {h['rps']:,.0f} ({one['rps'] / h['rps']:.2f}×) | "
                f"{c['cpu'] / max(c['total'], 1) * 1e6:.1f} / {one['cpu'] / max(one['total'], 1) * 1e6:.1f} | "
                f"{one['failed'] + default['failed']} |")
    finally:
        nginx.stop()


def bare_c_http2(reference, url, conns, streams, secs, env, cacert):
    """The bare C loop over HTTP/2: conns × streams transfers at once, libcurl's own ceiling."""
    out, cpu, _, _ = timed([reference, url + PATH, str(conns * streams), str(secs), "h2", str(conns)] + ([cacert] if cacert else []),
                           env=dict(os.environ, **env) if env else None)
    done, elapsed = out.split()[-2:]
    return dict(rps=int(done) / float(elapsed), total=int(done), cpu=cpu)


def http2(args, reference, env, name, version, secs, folder, say):
    shapes = [("TLS", True, 10, 10)] + ([("h2c", False, 4, 25)] if not version.startswith("libcurl 7.") else [])
    for label, tls, conns, streams in shapes:
        nginx = TLSNginx(folder, tls=tls)
        try:
            h = h2load(nginx.url, conns, streams, H2_REQUESTS, folder)
            c = bare_c_http2(reference, nginx.url, conns, streams, secs, env, nginx.cert if tls else None)
            ours = stdb(args.bin, nginx.url, conns * streams, requests=H2_REQUESTS, light=True, env_extra=env,
                        extra=["--http2", "--connections", str(conns)] + (["--cacert", nginx.cert] if tls else []))
            say(f"| {name} | {label} {conns} × {streams} | {h['rps']:,.0f} | {c['rps']:,.0f} ({c['rps'] / h['rps']:.2f}) | "
                f"{ours['rps']:,.0f} | {ours['rps'] / h['rps']:.2f} | {ours['rps'] / c['rps']:.2f} | "
                f"{h['cpu'] / max(h['total'], 1) * 1e6:.1f} / {c['cpu'] / max(c['total'], 1) * 1e6:.1f} / "
                f"{ours['cpu'] / max(ours['total'], 1) * 1e6:.1f} | {ours['failed']} |")
        finally:
            nginx.stop()


def streams(args, program, env, name, preconnect, say):
    prefix = ("chrt", "-f", "10") if shutil.which("chrt") and os.geteuid() == 0 else ()
    for count in (1000, 2500, 5000):
        for extra in [[]] + ([["--preconnect"]] if preconnect else []):
            with PacedSSEServer(program, 150, 20, 30, prefix=prefix) as server:
                r = stdb(args.bin, server.url, count, requests=STREAM_ROUNDS * count, env_extra=env,
                         extra=STREAMING + ["--timeout", "300"] + extra)
            statistics = r["statistics"]
            ttft = statistics["streaming"]["ttft_ms"]
            # A run with first and reused connections splits them (statistics.reused_connection): the reused
            # ones' TTFT has no connect in it. With --preconnect every request is on a reused connection.
            reused = statistics.get("reused_connection", {}).get("ttft_ms", {}).get("p50")
            chunks = max(statistics["streaming"]["output_tokens"], 1)
            say(f"| {name} | {count:,} | {' '.join(extra) or 'default'} | {ttft['median']:.1f} "
                f"({(ttft['median'] / 150 - 1) * 100:+.1f}%) | "
                + (f"{reused:.1f} ({(reused / 150 - 1) * 100:+.1f}%)" if reused else "–")
                + f" | {ttft['p99']:.1f} | {r['cpu'] / chunks * 1e6:.2f} | {r['failed']} |")


def libcurls(args, secs, folder, say):
    reference = compile_c(folder, "bench_curl_multi.c", ["-lcurl"])
    server = compile_c(folder, "bench_sse_server.c", [])
    if not reference or not server:
        say("## libcurls: skipped (gcc could not build the bare C loop or the paced server)")
        return
    libraries = [None] + ([{"LD_LIBRARY_PATH": os.path.abspath(args.libcurl)}] if args.libcurl else [])
    versions = [libcurl_version(args.bin, env) for env in libraries]
    help_text = subprocess.run([os.path.join(args.bin, "stress-test-db"), "--help"], capture_output=True, text=True).stdout
    preconnect = "--preconnect" in help_text
    say(f"## Each libcurl ({', '.join(versions)}): HTTP/1.1, HTTP/2 beside h2load, streams by the thousand")
    say()
    say(f"HTTP/1.1 against nginx (1 worker), {secs} s of the bare C loop, then ours for as many requests; hey for {secs} s.")
    say()
    say("| libcurl | conns | bare C req/s | ours --loops 1 (/ C) | ours default (/ C) | hey (--loops 1 / hey) | "
        "CPU µs/req C / ours 1 | failed |")
    say("|---|---:|---:|---:|---:|---:|---:|---:|")
    for env, version in zip(libraries, versions):
        http1(args, reference, env, version, secs, folder, say)
    say()
    if shutil.which("h2load"):
        say(f"HTTP/2 against nginx (1 worker): `h2load -c C -m M -t 1` and ours `--http2 --connections C --vus C×M` "
            f"(default loops), {H2_REQUESTS:,} requests each; the bare C libcurl loop for {secs} s, C × M transfers on C connections.")
        say()
        say("| libcurl | shape | h2load req/s | bare C libcurl req/s (/ h2load) | ours req/s | ours / h2load | ours / bare C | "
            "CPU µs/req h2load / C / ours | ours failed |")
        say("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for env, version in zip(libraries, versions):
            http2(args, reference, env, version, version, secs, folder, say)
        say()
    say(f"Streams: the paced server, true TTFT 150 ms, ITL 20 ms, 30 chunks; {STREAM_ROUNDS} requests a stream, default loops; "
        "CPU of the whole run (start, connects and all) over the chunks read.")
    say()
    say("| libcurl | streams | run | TTFT median ms (vs 150) | reused connections' TTFT p50 | TTFT p99 ms | CPU µs/chunk | failed |")
    say("|---|---:|---|---:|---:|---:|---:|---:|")
    for env, version in zip(libraries, versions):
        streams(args, server, env, version, preconnect, say)
    say()
