"""A closed-loop aiohttp SSE client written like the LLM benchmarks' (vLLM's benchmark_serving):
time.perf_counter() at the send, at the first content chunk (TTFT) and at every later one (ITL).
Usage: bench_aiohttp_sse.py URL TOKEN CONCURRENCY REQUESTS -> one JSON line of the measures."""
import asyncio, json, sys, time
import aiohttp

BODY = json.dumps({"messages": [{"role": "user", "content": "Hello"}], "stream": True}).encode()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else None


async def main(url, token, concurrency, requests):
    ttfts, gaps, chunks, failed = [], [], 0, 0
    left = requests
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=300)) as session:
        async def user():
            nonlocal left, chunks, failed
            while left > 0:
                left -= 1
                start = time.perf_counter()
                last = None
                try:
                    async with session.post(url, data=BODY, headers=headers) as response:
                        async for raw in response.content:
                            line = raw.decode().strip()
                            if not line.startswith("data:") or line == "data: [DONE]":
                                continue
                            delta = json.loads(line[5:])["choices"]
                            if not delta or not delta[0].get("delta", {}).get("content"):
                                continue
                            now = time.perf_counter()
                            if last is None:
                                ttfts.append((now - start) * 1000)
                            else:
                                gaps.append((now - last) * 1000)
                            last = now
                            chunks += 1
                except Exception:
                    failed += 1
        started = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    print(json.dumps({"requests": requests, "failed": failed, "chunks": chunks, "seconds": elapsed,
                      "ttft_median": percentile(ttfts, 0.5), "ttft_p99": percentile(ttfts, 0.99),
                      "itl_median": percentile(gaps, 0.5), "itl_p99": percentile(gaps, 0.99)}))


asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
