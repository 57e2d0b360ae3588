"""The streaming section of scripts/bench.py: TTFT/ITL accuracy against a paced server, beside an
aiohttp SSE client written like the LLM benchmarks'."""
import json, os, shutil, subprocess, sys

from benchlib import PacedSSEServer, stdb, timed

# (streams, requests) of the table, and the stream counts of the memory lines (2 requests a stream).
TABLE_RUNS = ((1, 20), (1000, 3000))
LARGE_STREAMS = (2500, 5000)
# Each stress-test-db row twice: as a student's first question (each VU's connect in its first TTFT),
# and with --preconnect (every connection opened before the clock: the steady state; docs/engine.md).
CONNECTS = (("", []), (" --preconnect", ["--preconnect"]))


def compile_c(folder, source, libraries):
    """Builds one of scripts/*.c into the bench's temporary folder; None when gcc cannot."""
    program = os.path.join(folder, source[:-2])
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), source)
    built = subprocess.run(["gcc", "-O2", "-o", program, path] + libraries, capture_output=True, text=True)
    return program if built.returncode == 0 else None


def streaming(args, folder, say):
    """TTFT/ITL accuracy at 1,000 streams against a server with exact pacing (scripts/bench_sse_server.c,
    one C thread on a timer heap, at real-time priority so the clients cannot starve it on two cores:
    peers/README.md), beside an aiohttp SSE client written like the LLM benchmarks'; CPU per chunk
    (with --response-max-chars 1, so the per-record JSON of a 2 KB stream is not what is measured);
    memory per stream at 2,500 and 5,000 streams. Each stress-test-db row with and without --preconnect."""
    program = compile_c(folder, "bench_sse_server.c", [])
    if not program:
        say("## Streaming: skipped (gcc could not build scripts/bench_sse_server.c)")
        return
    prefix = ("chrt", "-f", "10") if shutil.which("chrt") and os.geteuid() == 0 else ()
    pacing = (150, 20, 30)
    say("## Streaming: a paced server at TTFT 150 ms, ITL 20 ms, 30 tokens" + (" (chrt -f 10)" if prefix else ""))
    say()
    say("| client | streams | requests | TTFT median ms | TTFT p99 ms | ITL median ms | ITL p99 ms | CPU µs/chunk | peak RSS MB |")
    say("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for streams, requests in TABLE_RUNS:
        for label, flags in CONNECTS:
            with PacedSSEServer(program, *pacing, prefix=prefix) as server:
                r = stdb(args.bin, server.url, streams, requests=requests,
                         extra=["--stream", "--timeout", "120", "--response-max-chars", "1", "--endpoint-path", "/v1/chat/completions"]
                         + flags)
            s = r["statistics"]["streaming"]
            chunks = max(s["output_tokens"], 1)
            say(f"| stress-test-db{label} | {streams} | {r['total']:,} | {s['ttft_ms']['median']:.2f} | {s['ttft_ms']['p99']:.2f} | "
                f"{s['itl_ms']['median']:.2f} | {s['itl_ms']['p99']:.2f} | {r['cpu'] / chunks * 1e6:.2f} | {r['rss']:.0f} |")
        with PacedSSEServer(program, *pacing, prefix=prefix) as server:
            a = aiohttp_sse(server.url, streams, requests)
        if a:
            say(f"| aiohttp SSE client | {streams} | {a['requests']:,} | {a['ttft_median']:.2f} | {a['ttft_p99']:.2f} | "
                f"{a['itl_median']:.2f} | {a['itl_p99']:.2f} | {a['cpu'] / max(a['chunks'], 1) * 1e6:.2f} | {a['rss']:.0f} |")
    say()
    for streams in LARGE_STREAMS:
        for label, flags in CONNECTS:
            with PacedSSEServer(program, *pacing, prefix=prefix) as server:
                r = stdb(args.bin, server.url, streams, requests=2 * streams,
                         extra=["--stream", "--timeout", "300", "--response-max-chars", "1", "--endpoint-path", "/v1/chat/completions"]
                         + flags)
            say(f"{streams:,} streams{label}, {2 * streams:,} requests: {r['total']:,} records, {r['failed']} failed "
                f"({r['errors'] or 'none'}), peak RSS {r['rss']:.0f} MB ({r['rss'] * 1024 / streams:.1f} KB per stream), "
                f"TTFT median {r['statistics']['streaming']['ttft_ms']['median']:.1f} ms")
    say()


def aiohttp_sse(url, streams, requests):
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        return None
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out, cpu, rss, _ = timed([sys.executable, os.path.join(here, "bench_aiohttp_sse.py"), url + "/v1/chat/completions",
                              "bench-token", str(streams), str(requests)])
    return dict(json.loads(out.strip().splitlines()[-1]), cpu=cpu, rss=rss)
