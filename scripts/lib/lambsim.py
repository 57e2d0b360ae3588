"""Starts lamb-sim on a free loopback port and reads its URL from the one line it prints when ready.
The Python twin of scripts/lib/lamb-sim.sh, used by the benchmarks."""
import re
import subprocess


class LambSim:
    def __init__(self, binary, *args, token="bench-token", prefix=()):
        # `prefix`: e.g. ("chrt", "-f", "10") so the server is not starved by the clients on two cores.
        self.proc = subprocess.Popen(list(prefix) + [binary, "--host", "127.0.0.1", "--port", "0", "--token", token]
                                     + list(args),
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        if not match:
            self.proc.kill()
            raise RuntimeError(f"lamb-sim did not start: {line!r}")
        self.url = match.group(0)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
