"""A minimal closed-loop aiohttp client: the reference for the Python tool stress-test-db replaces.
Usage: bench_aiohttp.py URL CONNECTIONS SECONDS  — prints requests completed and seconds taken."""
import asyncio, sys, time
import aiohttp

BODY = b'{"messages": [{"role": "user", "content": "Hello"}], "stream": false}'

async def main(url, connections, seconds):
    done = 0
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def user():
            nonlocal done
            while time.monotonic() < deadline:
                async with session.post(url, data=BODY, headers={"Content-Type": "application/json"}) as response:
                    await response.read()
                done += 1
        start = time.monotonic()
        await asyncio.gather(*(user() for _ in range(connections)))
        print(done, time.monotonic() - start)

asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
